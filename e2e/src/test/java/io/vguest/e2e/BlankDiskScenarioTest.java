package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.DefinitionBuilder;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 9: a guest with a blank disk on a directory pool. The agent creates the disk's volume
 * and the guest boots with it: the file on the node is in the format the domain XML declares
 * ({@code qemu-img info}), thin, and the guest sees the disk with its stamped serial. (libvirt's
 * test driver never checks formats; only QEMU opening the file does.)
 */
@ExtendWith(E2eEnvironment.class)
class BlankDiskScenarioTest {

  private static final String NAME = "blank-1";
  private static final long SIZE = 16L * 1024 * 1024;

  private static final String MANIFEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata:
        name: %1$s
      spec:
        nodeName: a
        resources: {cpus: 1, memory: 256Mi}
      %2$s  disks:
          - name: root
            role: root
            source: {volume: {pool: %3$s, name: %1$s-root.raw}}
          - name: data
            role: data
            source: {blank: {pool: %3$s, size: 16Mi}}
      """.formatted(NAME, Guests.kernelBoot(2, 0), E2eNode.POOL);

  @Test
  void aBlankDiskIsCreatedInTheFormatTheDomainDeclaresAndTheGuestBootsWithIt(E2eCluster cluster,
      E2eEnvironment.Setup setup) throws Exception {
    setup.createDisk(NAME + "-root.raw");
    VirtualGuest guest = cluster.apply(MANIFEST);
    assertEquals("Running", guest.getStatus().state, "a guest with a blank disk starts");

    String volume = DefinitionBuilder.blankVolumeName(guest.getMetadata().getNamespace(), NAME, "data");
    String xml = cluster.node("a").daemon.virsh("dumpxml", E2eNode.domainName(guest)).orThrow();
    String declared = declaredFormat(xml, volume);
    assertEquals("qcow2", declared, "a blank disk on a directory pool is attached as qcow2: " + xml);

    String path = cluster.node("a").daemon.virsh("vol-path", "--pool", E2eNode.POOL, volume).orThrow().strip();
    Commands.Result info = Commands.run(Duration.ofSeconds(30), "qemu-img", "info", "-U", "--output=json", path);
    JsonNode image = new ObjectMapper().readTree(info.orThrow());
    assertEquals(declared, image.path("format").asText(), "qemu-img info " + path + ": " + info.output());
    assertEquals(SIZE, image.path("virtual-size").asLong(), "the size the spec asks for");
    assertTrue(image.path("actual-size").asLong() < SIZE / 2, "thin: " + info.output());

    GuestReport report = cluster.node("a").awaitReport(guest);
    String serial = guest.getSpec().identity.diskSerials.get("data");
    assertTrue(report.diskWithSerial(serial).isPresent(), "the guest sees the blank disk " + serial + ": " + report);
  }

  /** The driver type of the disk whose source is the volume, from the domain XML. */
  static String declaredFormat(String domainXml, String volume) {
    Matcher disk = Pattern.compile("<disk\\b.*?</disk>", Pattern.DOTALL).matcher(domainXml);
    while (disk.find()) {
      String block = disk.group();
      if (block.contains("volume='" + volume + "'")) {
        Matcher type = Pattern.compile("<driver [^>]*type='([^']+)'").matcher(block);
        return type.find() ? type.group(1) : "(none)";
      }
    }
    throw new AssertionError("no disk with volume " + volume + " in " + domainXml);
  }
}
