package io.vguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The checked-in crds/ must be exactly what the build generates from the API types. */
class CrdUpToDateTest {

  static final String HOW_TO_FIX =
      "crds/ is stale: run `mvn -B -q process-classes -pl operator && cp operator/target/crds/*.yaml crds/`";

  private static final Path ROOT = Path.of(System.getProperty("vguest.repoRoot", ".."));

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void checkedInCrdsMatchTheGeneratedOnes() throws IOException {
    Path generated = ROOT.resolve("operator/target/crds");
    Path checkedIn = ROOT.resolve("crds");
    if (!Files.isDirectory(checkedIn)) {
      fail(HOW_TO_FIX + " (crds/ does not exist)");
    }
    assertEquals(names(generated), names(checkedIn), HOW_TO_FIX + " (the set of files differs)");
    for (String name : names(generated)) {
      if (!Files.readString(generated.resolve(name)).equals(Files.readString(checkedIn.resolve(name)))) {
        fail(HOW_TO_FIX + " (" + name + " differs)");
      }
    }
  }
}
