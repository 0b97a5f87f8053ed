package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.domain.xml.Domain;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden files the other way round: each whole-domain golden file (vguest's own output) reads
 * into the very model the renderer wrote it from, and that model writes the golden file again byte
 * for byte.
 */
class DomainModelGoldenTest {

  static Stream<Arguments> scenarios() {
    return GuestDefinitions.goldenScenarios().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void goldenFileReadsAsTheModelItWasWrittenFrom(String file, GuestDefinition guest) {
    String golden = GoldenFiles.read(file);
    Domain parsed = Domain.parse(golden);
    assertEquals(new DomainRenderer().render(guest).model(), parsed, file);
    assertEquals(golden, parsed.toXml(), file + ": written again byte for byte");
  }
}
