package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden file passes libvirt's own domain schema ({@code virt-xml-validate}). */
class GoldenFileSchemaTest {

  static Stream<String> goldenFiles() {
    return GuestDefinitions.goldenScenarios().keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void goldenFilePassesLibvirtSchema(String file) {
    assertTrue(Files.isRegularFile(GoldenFiles.file(file)), "missing golden file " + GoldenFiles.file(file));
    VirtXmlValidate.assertValidDomain(GoldenFiles.file(file));
  }
}
