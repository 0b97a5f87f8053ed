package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DomainFactsTest {

  private static String dump() throws IOException {
    try (InputStream in = DomainFactsTest.class.getResourceAsStream("/libvirt-dumps/q35-sata-scsi-user.xml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** libvirt moved the PCI root from last to first when its daemon restarted; nothing was redefined. */
  @Test
  void theSameDomainWithItsControllersInAnotherOrderIsTheSameFacts() throws IOException {
    String xml = dump();
    String root = "    <controller type='pci' index='0' model='pcie-root'/>\n";
    String rootLast = xml.replace(root, "").replace("  </devices>", root.substring(2) + "  </devices>");
    assertNotEquals(xml, rootLast, "the test must move the root controller");

    assertEquals(DomainFacts.parse(xml), DomainFacts.parse(rootLast));
  }

  @Test
  void anotherControllerIsOtherFacts() throws IOException {
    String xml = dump();
    String changed = xml.replace("<controller type='scsi' index='0' model='virtio-scsi'>",
        "<controller type='scsi' index='0' model='lsilogic'>");
    assertNotEquals(xml, changed, "the test must change the controller");

    assertNotEquals(DomainFacts.parse(xml), DomainFacts.parse(changed));
  }
}
