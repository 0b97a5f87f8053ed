package io.vguest.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OfferedMachineTypesTest {

  static final String CAPABILITIES = """
      <capabilities><host/><guest><os_type>hvm</os_type><arch name='x86_64'>
        <machine maxCpus='288'>pc-q35-8.0</machine>
        <machine canonical='pc-q35-8.0' maxCpus='288'>q35</machine>
        <machine maxCpus='288'>pc-q35-7.2</machine>
        <machine maxCpus='255'>pc-i440fx-8.0</machine>
        <machine maxCpus='255' deprecated='yes'>pc-i440fx-1.5</machine>
      </arch></guest></capabilities>
      """;

  @Test
  void theOfferedTypesAndTheDeprecatedOnesAreReadFromTheCapabilities() {
    OfferedMachineTypes offered = OfferedMachineTypes.parse(CAPABILITIES);
    assertEquals(List.of("pc-i440fx-1.5", "pc-i440fx-8.0", "pc-q35-7.2", "pc-q35-8.0", "q35"), offered.all());
    assertEquals(List.of("pc-i440fx-1.5"), offered.deprecated());
    assertEquals(List.of("pc-i440fx-1.5", "pc-i440fx-8.0"), offered.sameFamilyAs("pc-i440fx-2.0"));
  }

  @Test
  void theNodeDeviceCheckGetsTheSameFamilyThroughThePublicReaders() {
    assertEquals(List.of("pc-q35-7.2", "pc-q35-8.0"),
        NodeCapabilityReaders.offeredMachineTypesLike(CAPABILITIES, "pc-q35-6.2"));
    assertEquals(7_002_022L, NodeCapabilityReaders.versionNumber("7.2.22"));
  }
}
