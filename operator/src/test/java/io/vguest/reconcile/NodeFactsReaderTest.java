package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vguest.guest.DefinitionBuilder.HostSerialSource;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.LibvirtHypervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFactsReaderTest {

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
      assertEquals(java.util.Map.of(), facts.machineAliases(), "the test driver offers no x86_64 machines");
    }
  }
}
