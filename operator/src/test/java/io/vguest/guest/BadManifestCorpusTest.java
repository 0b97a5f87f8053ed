package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vguest.api.CrdSchemaValidator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under bad-manifests/ holds one defect and says in comments how it must be refused:
 * {@code # expect: <field> | <fragment> | ...} for the Java reader and validator, optionally
 * {@code # schema: <field> | <fragment> | ...} where the API server words it differently, and
 * {@code # java-only} when only the Java validator can see the defect (the schema then accepts it).
 * {@code # category: <name>} sorts it into one of the kinds of hostile input the corpus must cover.
 * The node agent's side (refused with a status naming the field, nothing defined, the other guests
 * of the node unaffected) is {@code io.vguest.operator.HostileGuestsTest}.
 */
public class BadManifestCorpusTest {

  /** Pools the Java validator is told the node allows. */
  public static final Set<String> ALLOWED_POOLS = Set.of("default", "images", "cinder");

  public record Expectation(String field, List<String> fragments) {
    static Expectation parse(String line) {
      String[] parts = line.split("\\|");
      List<String> fragments = new ArrayList<>();
      Arrays.stream(parts).skip(1).map(String::strip).forEach(fragments::add);
      return new Expectation(parts[0].strip(), fragments);
    }

    public boolean matches(String field, String message) {
      return this.field.equals(field) && fragments.stream().allMatch(message::contains);
    }
  }

  /** The kinds of hostile input the corpus covers, each with at least one case; "rules" holds the rest. */
  public static final List<String> CATEGORIES = List.of("xml-injection", "control-characters", "long-values", "non-ascii",
      "path-traversal", "pool-not-allowed", "absurd-sizes", "duplicates", "unknown-enum", "foreign-profile", "rules");

  public record Case(Path file, Expectation java, Expectation schema, boolean javaOnly, String category) {
    @Override
    public String toString() {
      return file.getFileName().toString();
    }
  }

  static Path corpus() throws URISyntaxException {
    return Path.of(BadManifestCorpusTest.class.getResource("/bad-manifests").toURI());
  }

  public static Stream<Case> cases() throws IOException, URISyntaxException {
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(corpus())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        Expectation java = null;
        Expectation schema = null;
        boolean javaOnly = false;
        String category = null;
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith("# expect:")) {
            java = Expectation.parse(line.substring("# expect:".length()));
          } else if (line.startsWith("# schema:")) {
            schema = Expectation.parse(line.substring("# schema:".length()));
          } else if (line.strip().equals("# java-only")) {
            javaOnly = true;
          } else if (line.startsWith("# category:")) {
            category = line.substring("# category:".length()).strip();
          }
        }
        assertNotNull(java, file + " has no '# expect:' line");
        assertTrue(CATEGORIES.contains(category), file + ": '# category: " + category + "' is none of " + CATEGORIES);
        cases.add(new Case(file, java, schema == null ? java : schema, javaOnly, category));
      }
    }
    return cases.stream();
  }

  @Test
  void corpusHoldsAtLeastFiftyHostileCasesCoveringEveryCategory() throws Exception {
    Map<String, Long> perCategory = cases().collect(Collectors.groupingBy(Case::category, TreeMap::new,
        Collectors.counting()));
    assertTrue(cases().filter(c -> !c.category().equals("rules")).count() >= 50, "only " + perCategory);
    assertEquals(new TreeSet<>(CATEGORIES), perCategory.keySet(), "a category without cases: " + perCategory);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedBySchemaAndCelRulesNamingTheField(Case c) throws IOException {
    List<CrdSchemaValidator.Error> errors = CrdSchemaValidator.validateFile(c.file());
    if (c.javaOnly()) {
      assertEquals(List.of(), errors, c + " is marked java-only but the schema refuses it");
      return;
    }
    assertFalse(errors.isEmpty(), c + " passed the schema and CEL rules");
    assertTrue(errors.stream().anyMatch(e -> c.schema().matches(e.field(), e.message())),
        c + ": expected " + c.schema() + " among " + errors);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedByReaderAndValidatorNamingTheField(Case c) {
    ManifestReader.Manifests manifests;
    try {
      manifests = new ManifestReader().read(c.file());
    } catch (ManifestException e) {
      assertTrue(c.java().matches(e.field(), e.detail()), c + ": expected " + c.java() + " but got " + e.getMessage());
      assertTrue(e.getMessage().startsWith(c.file().toString() + ": " + e.field() + ": "), e.getMessage());
      return;
    }
    GuestValidator validator = new GuestValidator(ALLOWED_POOLS);
    List<Violation> violations = new ArrayList<>();
    manifests.guests().forEach(g -> violations.addAll(validator.validate(g)));
    manifests.profiles().forEach(p -> violations.addAll(validator.validate(p)));
    if (violations.isEmpty()) {
      fail(c + " passed the reader and the Java validator");
    }
    assertTrue(violations.stream().anyMatch(v -> c.java().matches(v.field(), v.message())),
        c + ": expected " + c.java() + " among " + violations);
    assertTrue(violations.stream().allMatch(v -> v.field().equals(c.java().field())),
        c + " should hold exactly one defect, but the validator found " + violations);
  }
}
