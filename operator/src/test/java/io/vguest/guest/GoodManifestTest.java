package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vguest.api.CrdSchemaValidator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The manifests under good-manifests/ pass the schema, the CEL rules, the reader and the Java validator. */
class GoodManifestTest {

  static Stream<Path> manifests() throws IOException, URISyntaxException {
    Path dir = Path.of(GoodManifestTest.class.getResource("/good-manifests").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  /** Checks one file both ways; shared with the examples test. */
  static void assertValid(Path file) throws IOException {
    assertEquals(List.of(), CrdSchemaValidator.validateFile(file), file + ": schema or CEL rules refuse it");
    ManifestReader.Manifests read = new ManifestReader().read(file);
    assertFalse(read.guests().isEmpty() && read.profiles().isEmpty(), file + " holds no vguest objects");
    GuestValidator validator = new GuestValidator(BadManifestCorpusTest.ALLOWED_POOLS);
    List<Violation> violations = new ArrayList<>();
    read.guests().forEach(g -> violations.addAll(validator.validate(g)));
    read.profiles().forEach(p -> violations.addAll(validator.validate(p)));
    assertEquals(List.of(), violations, file + ": the Java validator refuses it");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void passesSchemaCelRulesAndJavaValidator(Path file) throws IOException {
    assertValid(file);
  }
}
