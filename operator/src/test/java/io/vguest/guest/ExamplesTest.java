package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vguest.api.CrdSchemaValidator;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every YAML file in the repository's examples/ is a valid manifest: it passes the generated
 * schema and CEL rules, and the reader and validator (pools unchecked, since each node chooses its own).
 */
class ExamplesTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("vguest.repoRoot", "..")).resolve("examples");

  @Test
  void everyExamplePassesSchemaCelRulesAndJavaValidator() throws IOException {
    assumeTrue(Files.isDirectory(EXAMPLES), "no examples/ directory yet");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(EXAMPLES, FileVisitOption.FOLLOW_LINKS)) {
      files = walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "examples/ holds no YAML files");
    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      try {
        CrdSchemaValidator.validateFile(file).forEach(e -> failures.add(file + ": " + e));
      } catch (IOException | RuntimeException e) {
        failures.add(file + ": " + e.getMessage());
      }
      try {
        ManifestReader.Manifests read = new ManifestReader().read(file);
        GuestValidator validator = new GuestValidator(null);
        read.guests().forEach(g -> validator.validate(g).forEach(v -> failures.add(file + ": " + v)));
        read.profiles().forEach(p -> validator.validate(p).forEach(v -> failures.add(file + ": " + v)));
      } catch (ManifestException e) {
        failures.add(e.getMessage());
      }
    }
    assertEquals(List.of(), failures);
  }
}
