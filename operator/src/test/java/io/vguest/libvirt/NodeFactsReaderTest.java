package io.vguest.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vguest.identity.HostSerialSource;
import io.vguest.guest.NodeFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFactsReaderTest {

  private static final String CAPABILITIES = """
      <capabilities>
        <host><uuid>4c4c4544-0042-3510-8052-b7c04f4e3232</uuid></host>
        <guest>
          <os_type>hvm</os_type>
          <arch name='i686'>
            <machine canonical='pc-i440fx-6.0'>pc</machine>
          </arch>
        </guest>
        <guest>
          <os_type>hvm</os_type>
          <arch name='x86_64'>
            <machine maxCpus='255'>pc-i440fx-7.2</machine>
            <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
            <machine maxCpus='288'>pc-q35-7.2</machine>
            <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
            <domain type='qemu'/>
          </arch>
        </guest>
      </capabilities>
      """;

  @Test
  void aliasesComeFromX86CapabilitiesOnly() {
    assertEquals(Map.of("pc", "pc-i440fx-7.2", "q35", "pc-q35-7.2"), NodeFactsReader.machineAliases(CAPABILITIES));
  }

  @Test
  void versionsUseLibvirtsEncoding() {
    assertEquals(9_000_000L, NodeFactsReader.versionNumber("9.0.0"));
    assertEquals(4_001_000L, NodeFactsReader.versionNumber("4.1"));
    assertEquals(10_010_002L, NodeFactsReader.versionNumber("10.10.2"));
  }

  @Test
  void missingMachineIdFileIsNotFatal(@TempDir Path dir) {
    assertNull(NodeFactsReader.readMachineId(dir.resolve("machine-id")));
  }

  @Test
  void readsFactsOfTheTestDriver(@TempDir Path dir) throws Exception {
    Path machineId = dir.resolve("machine-id");
    Files.writeString(machineId, "0123456789abcdef0123456789abcdef\n");
    try (LibvirtHypervisor hypervisor = new LibvirtHypervisor("test:///default")) {
      NodeFacts facts = NodeFactsReader.read(hypervisor, "node-a", machineId, HostSerialSource.AUTO);
      assertEquals("node-a", facts.nodeName());
      assertEquals("01234567-89ab-cdef-0123-456789abcdef", facts.hostSerial());
      assertEquals(true, facts.supportsChassisSerial(), "libvirt " + facts.libvirtVersion());
    }
  }
}
