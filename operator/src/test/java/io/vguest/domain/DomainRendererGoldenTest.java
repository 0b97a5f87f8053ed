package io.vguest.domain;

import static io.vguest.domain.XmlAssert.assertSimilarXml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One whole-domain golden file per scenario of {@link GuestDefinitions#goldenScenarios()}: the
 * rendered XML must match XML-wise (differences named by XPath) and byte for byte (rendering is
 * deterministic). To regenerate after an intended change, run with
 * {@code -Dvguest.updateGolden=true} (see {@link GoldenFiles#UPDATE}) and review the git diff.
 */
class DomainRendererGoldenTest {

  private final DomainRenderer renderer = new DomainRenderer();

  static Stream<Arguments> scenarios() {
    return GuestDefinitions.goldenScenarios().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void rendersGoldenFile(String file, GuestDefinition guest) {
    String xml = renderer.render(guest).xml();
    if (GoldenFiles.UPDATE) {
      GoldenFiles.write(file, xml);
      return;
    }
    String expected = GoldenFiles.read(file);
    assertSimilarXml(expected, xml, file);
    assertEquals(expected, xml, file + ": XML-equal but not byte-identical (whitespace, quoting or attribute order)");
  }

  @Test
  void everyGoldenFileBelongsToAScenario() {
    if (GoldenFiles.UPDATE) {
      return;
    }
    List<String> stale = new ArrayList<>(GoldenFiles.present());
    Map<String, GuestDefinition> scenarios = GuestDefinitions.goldenScenarios();
    stale.removeAll(scenarios.keySet());
    assertEquals(List.of(), stale, "golden files without a scenario in GuestDefinitions.goldenScenarios()");
  }
}
