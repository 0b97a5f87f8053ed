package io.vguest.domain.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.domain.LibvirtVersion;
import io.vguest.domain.OfferedMachineTypes;
import io.vguest.domain.xml.HostCapabilities.Machine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCapabilitiesTest {

  /** The guest part of libvirt 9.0's capabilities with QEMU 7.2, with an i686 alias that must not count. */
  static final String CAPABILITIES = """
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
            <machine maxCpus='255' deprecated='yes'>pc-i440fx-1.5</machine>
            <domain type='qemu'/>
          </arch>
        </guest>
      </capabilities>
      """;

  @Test
  void aliasesComeFromX86CapabilitiesOnly() {
    assertEquals(Map.of("pc", "pc-i440fx-7.2", "q35", "pc-q35-7.2"), HostCapabilities.parse(CAPABILITIES)
        .machineAliases());
  }

  @Test
  void readsTheHostUuidAndEveryX86Machine() {
    HostCapabilities caps = HostCapabilities.parse(CAPABILITIES);
    assertEquals(new HostCapabilities("4c4c4544-0042-3510-8052-b7c04f4e3232", List.of(
        new Machine("pc-i440fx-7.2", null, false), new Machine("pc", "pc-i440fx-7.2", false),
        new Machine("pc-q35-7.2", null, false), new Machine("q35", "pc-q35-7.2", false),
        new Machine("pc-i440fx-1.5", null, true))), caps);
    assertEquals(List.of("pc-i440fx-1.5"), caps.offeredMachineTypes().deprecated());
  }

  @Test
  void readsBackWhatItWrites() {
    HostCapabilities caps = HostCapabilities.parse(CAPABILITIES);
    assertEquals(caps, HostCapabilities.parse(caps.toXml()));
    assertEquals(caps.toXml(), HostCapabilities.parse(caps.toXml()).toXml());
  }

  @Test
  void readsLibvirt90sRealCapabilitiesWithQemu72() throws IOException {
    HostCapabilities caps;
    try (InputStream in = getClass().getResourceAsStream("/libvirt-dumps/capabilities-qemu-7.2.xml")) {
      caps = HostCapabilities.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals("00000000-0000-4000-8000-000000000001", caps.hostUuid());
    assertEquals(Map.of("pc", "pc-i440fx-7.2", "q35", "pc-q35-7.2"), caps.machineAliases());
    assertEquals(60, caps.x86Machines().size(), "the x86_64 guest's machines only, not the i686 guest's");
    assertTrue(caps.offeredMachineTypes().all().containsAll(List.of("pc-q35-7.2", "pc-i440fx-7.2", "q35", "pc")));
    assertTrue(caps.offeredMachineTypes().deprecated().stream().allMatch(t -> caps.offeredMachineTypes().all()
        .contains(t)));
    assertEquals(caps, HostCapabilities.parse(caps.toXml()), "reads back what it writes");
  }

  @Test
  void theTestDriversRealCapabilitiesOfferNoX86MachinesAndNoUuid() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/capabilities/test-driver-libvirt-9.0.xml")) {
      HostCapabilities caps = HostCapabilities.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertNull(caps.hostUuid());
      assertEquals(List.of(), caps.x86Machines());
      assertEquals(caps, HostCapabilities.parse(caps.toXml()));
    }
  }

  @Test
  void otherDocumentsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HostCapabilities.parse("<domainCapabilities/>"));
    assertTrue(e.getMessage().contains("expected <capabilities>"), e.getMessage());
  }

  @Test
  void theOfferedTypesAndTheDeprecatedOnesAreReadFromTheCapabilities() {
    OfferedMachineTypes offered = HostCapabilities.parse("""
        <capabilities><host/><guest><os_type>hvm</os_type><arch name='x86_64'>
          <machine maxCpus='288'>pc-q35-8.0</machine>
          <machine canonical='pc-q35-8.0' maxCpus='288'>q35</machine>
          <machine maxCpus='288'>pc-q35-7.2</machine>
          <machine maxCpus='255'>pc-i440fx-8.0</machine>
          <machine maxCpus='255' deprecated='yes'>pc-i440fx-1.5</machine>
        </arch></guest></capabilities>
        """).offeredMachineTypes();
    assertEquals(List.of("pc-i440fx-1.5", "pc-i440fx-8.0", "pc-q35-7.2", "pc-q35-8.0", "q35"), offered.all());
    assertEquals(List.of("pc-i440fx-1.5"), offered.deprecated());
    assertEquals(List.of("pc-i440fx-1.5", "pc-i440fx-8.0"), offered.sameFamilyAs("pc-i440fx-2.0"));
    assertEquals(List.of("pc-q35-7.2", "pc-q35-8.0"), offered.sameFamilyAs("pc-q35-6.2"));
  }

  @Test
  void versionsUseLibvirtsEncoding() {
    assertEquals(7_002_022L, LibvirtVersion.number("7.2.22"));
    assertEquals(9_000_000L, LibvirtVersion.number("9.0.0"));
    assertEquals(4_001_000L, LibvirtVersion.number("4.1"));
    assertEquals(10_010_002L, LibvirtVersion.number("10.10.2"));
  }
}
