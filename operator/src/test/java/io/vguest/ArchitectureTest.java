package io.vguest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering the README describes. The pure packages {@code devices}, {@code identity} and
 * {@code domain} turn values into values: they must not reach Kubernetes, libvirt or the glue
 * packages, and must not read the clock, the environment or a random source, so that the same
 * input always renders the same domain and derives the same identity. The libvirt adapter is a
 * leaf that knows nothing of guests, and no two packages depend on each other in a circle.
 */
class ArchitectureTest {

  static final List<String> PURE_PACKAGES = List.of("devices", "identity", "domain");

  /** Package prefixes a pure package must not import or name. */
  static final List<String> FORBIDDEN_PACKAGES = List.of(
      "io.fabric8.",
      "org.libvirt.",
      "io.javaoperatorsdk.",
      "io.vguest.api.",
      "io.vguest.guest.",
      "io.vguest.libvirt.",
      "io.vguest.reconcile.",
      "io.vguest.cli.");

  /** Calls that read the clock, the environment or a random source. */
  static final Pattern FORBIDDEN_CALL = Pattern.compile(
      "\\bSystem\\s*\\.\\s*(getenv|currentTimeMillis|nanoTime|getProperty|getProperties)\\b"
          + "|\\b(Instant|LocalDateTime|LocalDate|LocalTime|ZonedDateTime|OffsetDateTime)\\s*\\.\\s*now\\b"
          + "|\\bClock\\s*\\.\\s*(systemUTC|systemDefaultZone)\\b"
          + "|\\bnew\\s+(java\\.util\\.)?(Secure)?Random\\b"
          + "|\\b(ThreadLocalRandom\\s*\\.\\s*current|Math\\s*\\.\\s*random|UUID\\s*\\.\\s*randomUUID)\\b");

  static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+(\\.\\*)?)\\s*;");

  /**
   * A reference to a vguest type, imported or written out in code: the package segments (lower
   * case by convention) up to the first type name. Group 1 is the package below {@code io.vguest}.
   */
  static final Pattern VGUEST_REFERENCE =
      Pattern.compile("\\bio\\.vguest\\.((?:[a-z_][a-z0-9_]*\\.)*?[a-z_][a-z0-9_]*)(?:\\.(?:[A-Z]\\w*|\\*))");

  /** The libvirt adapter may name only itself and, for XML it reads, the pure domain model. */
  static final List<String> LIBVIRT_MAY_USE = List.of("libvirt", "domain");

  static Path repoRoot;
  static Path sourceRoot;

  @BeforeAll
  static void findSources() {
    String configured = System.getProperty("vguest.repoRoot");
    repoRoot = Path.of(configured != null && !configured.isBlank() ? configured : "..").toAbsolutePath().normalize();
    sourceRoot = repoRoot.resolve("operator/src/main/java/io/vguest");
    assertTrue(Files.isDirectory(sourceRoot),
        "no sources at " + sourceRoot.toAbsolutePath() + "; set -Dvguest.repoRoot to the repository root");
  }

  @Test
  void purePackagesExist() {
    assertTrue(Files.isDirectory(sourceRoot.resolve("devices")),
        "expected the pure package io.vguest.devices at " + sourceRoot.resolve("devices"));
    assertFalse(pureSources().isEmpty(), "found no sources in the pure packages " + PURE_PACKAGES);
  }

  @Test
  void purePackagesImportNeitherKubernetesNorLibvirtNorGlue() {
    List<String> violations = new ArrayList<>();
    for (Path file : pureSources()) {
      List<String> lines = codeLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        Matcher imp = IMPORT.matcher(line);
        String name = imp.find() ? imp.group(2) : null;
        for (String forbidden : FORBIDDEN_PACKAGES) {
          if (name != null && name.startsWith(forbidden)) {
            violations.add(where(file, i) + ": imports " + name);
          } else if (name == null && line.contains(forbidden)) {
            violations.add(where(file, i) + ": names " + forbidden + "* in code: " + line.strip());
          }
        }
      }
    }
    if (!violations.isEmpty()) {
      fail("the pure packages " + PURE_PACKAGES + " must not depend on " + FORBIDDEN_PACKAGES
          + " (move the code to guest, libvirt or reconcile, or pass plain values in):\n  "
          + String.join("\n  ", violations));
    }
  }

  @Test
  void purePackagesReadNoClockEnvironmentOrRandomness() {
    List<String> violations = new ArrayList<>();
    for (Path file : pureSources()) {
      List<String> lines = codeLines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = FORBIDDEN_CALL.matcher(lines.get(i));
        while (m.find()) {
          violations.add(where(file, i) + ": " + m.group().replaceAll("\\s+", " "));
        }
      }
    }
    if (!violations.isEmpty()) {
      fail("the pure packages " + PURE_PACKAGES + " must be deterministic: pass times, seeds and settings in "
          + "as values instead of reading them:\n  " + String.join("\n  ", violations));
    }
  }

  @Test
  void libvirtAdapterIsALeaf() {
    List<String> violations = new ArrayList<>();
    for (Path file : sources("libvirt")) {
      for (Reference ref : vguestReferences(file)) {
        if (!LIBVIRT_MAY_USE.contains(topLevel(ref.pkg()))) {
          violations.add(ref.where() + ": uses io.vguest." + ref.pkg());
        }
      }
    }
    if (!violations.isEmpty()) {
      fail("the libvirt adapter may use only io.vguest." + LIBVIRT_MAY_USE + " (it speaks XML strings and "
          + "its own port types; checks and glue that need API or guest types belong in reconcile):\n  "
          + String.join("\n  ", violations));
    }
  }

  @Test
  void packagesDependOnEachOtherWithoutCycles() {
    Map<String, Map<String, String>> graph = packageGraph();
    assertTrue(graph.keySet().containsAll(List.of("api", "devices", "domain", "libvirt", "reconcile")),
        "expected the vguest packages in the import graph, got " + graph.keySet());
    List<List<String>> cycles = PackageCycles.of(graph);
    if (!cycles.isEmpty()) {
      List<String> described = new ArrayList<>();
      for (List<String> cycle : cycles) {
        StringBuilder text = new StringBuilder(String.join(" -> ", cycle) + " -> " + cycle.get(0));
        for (int i = 0; i < cycle.size(); i++) {
          String from = cycle.get(i);
          String to = cycle.get((i + 1) % cycle.size());
          text.append("\n      ").append(from).append(" -> ").append(to).append(": ").append(graph.get(from).get(to));
        }
        described.add(text.toString());
      }
      fail("packages must not depend on each other in a circle (move the shared piece down into the package "
          + "both use, or pass values in):\n  " + String.join("\n  ", described));
    }
  }

  @Test
  void cycleSearchFindsCyclesAndOnlyThem() {
    Map<String, Map<String, String>> chain = new TreeMap<>();
    chain.put("cli", new TreeMap<>(Map.of("guest", "", "libvirt", "")));
    chain.put("guest", new TreeMap<>(Map.of("domain", "")));
    chain.put("libvirt", new TreeMap<>(Map.of("domain", "")));
    chain.put("domain", new TreeMap<>());
    assertEquals(List.of(), PackageCycles.of(chain));

    chain.get("domain").put("cli", "");
    assertEquals(List.of(List.of("cli", "guest", "domain")), PackageCycles.of(chain), "the shortest way round");

    Map<String, Map<String, String>> pair = new TreeMap<>();
    pair.put("a", new TreeMap<>(Map.of("b", "")));
    pair.put("b", new TreeMap<>(Map.of("a", "")));
    pair.put("c", new TreeMap<>(Map.of("a", "")));
    assertEquals(List.of(List.of("a", "b")), PackageCycles.of(pair));
  }

  @Test
  void referencesAreFoundInImportsAndInCode() {
    List<String> lines = List.of(
        "import io.vguest.api.v1alpha1.VirtualGuest;",
        "import static io.vguest.domain.xml.XmlWriter.escape;",
        "import io.vguest.devices.*;",
        "  var g = new io.vguest.guest.Violation(a, b); io.vguest.libvirt.Hypervisor h;");
    List<String> found = new ArrayList<>();
    for (String line : lines) {
      Matcher m = VGUEST_REFERENCE.matcher(line);
      while (m.find()) {
        found.add(m.group(1));
      }
    }
    assertEquals(List.of("api.v1alpha1", "domain.xml", "devices", "guest", "libvirt"), found);
  }

  /** A file that outgrows this is doing more than one job; split it by what it does. */
  static final int MAX_MAIN_FILE_LINES = 450;

  @Test
  void noMainFileOutgrowsOneJob() throws IOException {
    List<String> tooLong = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(sourceRoot)) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        long lines = Files.readAllLines(file, StandardCharsets.UTF_8).size();
        if (lines > MAX_MAIN_FILE_LINES) {
          tooLong.add(sourceRoot.relativize(file) + " (" + lines + " lines)");
        }
      }
    }
    assertTrue(tooLong.isEmpty(), "main files over " + MAX_MAIN_FILE_LINES + " lines: " + tooLong);
  }

  @Test
  void commentsAndStringsAreNotCode() {
    String source = "import java.util.List; // io.fabric8.x\n"
        + "/* System.getenv(\"A\")\n Instant.now() */ class A {\n"
        + "  String s = \"org.libvirt.Connect \\\" new Random()\"; char c = '\\'';\n"
        + "  long t = System.currentTimeMillis();\n}\n";
    List<String> lines = stripCommentsAndStrings(source);
    assertEquals(source.split("\n", -1).length, lines.size(), "line count must be kept: " + lines);
    assertFalse(String.join("\n", lines).contains("fabric8"), String.join("\n", lines));
    assertFalse(String.join("\n", lines).contains("getenv"), String.join("\n", lines));
    assertFalse(String.join("\n", lines).contains("libvirt"), String.join("\n", lines));
    assertFalse(String.join("\n", lines).contains("Random"), String.join("\n", lines));
    assertTrue(FORBIDDEN_CALL.matcher(lines.get(4)).find(), lines.get(4));
    assertTrue(IMPORT.matcher(lines.get(0)).find(), lines.get(0));
  }

  private static List<Path> pureSources() {
    List<Path> files = new ArrayList<>();
    for (String pkg : PURE_PACKAGES) {
      Path dir = sourceRoot.resolve(pkg);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** A reference from a source line to a vguest package. */
  record Reference(String pkg, String where) {}

  /** The package below {@code io.vguest} a subpackage belongs to: {@code domain.xml} is {@code domain}. */
  static String topLevel(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }

  private static List<Reference> vguestReferences(Path file) {
    List<Reference> refs = new ArrayList<>();
    List<String> lines = codeLines(file);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = VGUEST_REFERENCE.matcher(lines.get(i));
      while (m.find()) {
        refs.add(new Reference(m.group(1), where(file, i)));
      }
    }
    return refs;
  }

  /**
   * Which package uses which, with one place that shows it per edge. A package is a directory
   * right below {@code io/vguest} with everything under it ({@code domain/xml} is part of
   * {@code domain}): subpackages are a package's own inner structure.
   */
  private static Map<String, Map<String, String>> packageGraph() {
    Map<String, Map<String, String>> graph = new TreeMap<>();
    for (Path file : sources("")) {
      Path rel = sourceRoot.relativize(file);
      if (rel.getNameCount() < 2) {
        continue; // a file directly in io.vguest
      }
      String from = rel.getName(0).toString();
      Map<String, String> edges = graph.computeIfAbsent(from, k -> new TreeMap<>());
      for (Reference ref : vguestReferences(file)) {
        String to = topLevel(ref.pkg());
        if (!to.equals(from)) {
          edges.putIfAbsent(to, ref.where());
        }
      }
    }
    return graph;
  }

  private static List<Path> sources(String pkg) {
    Path dir = pkg.isEmpty() ? sourceRoot : sourceRoot.resolve(pkg);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String where(Path file, int lineIndex) {
    return repoRoot.relativize(file) + ":" + (lineIndex + 1);
  }

  private static List<String> codeLines(Path file) {
    try {
      return stripCommentsAndStrings(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The source with comments blanked and string, text block and char literals emptied, one entry
   * per line so that line numbers stay right.
   */
  static List<String> stripCommentsAndStrings(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      char next = i + 1 < n ? src.charAt(i + 1) : '\0';
      if (c == '/' && next == '/') {
        while (i < n && src.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && next == '*') {
        i += 2;
        while (i < n && !(src.charAt(i) == '*' && i + 1 < n && src.charAt(i + 1) == '/')) {
          if (src.charAt(i) == '\n') {
            out.append('\n');
          }
          i++;
        }
        i += 2;
        out.append(' ');
      } else if (src.startsWith("\"\"\"", i)) {
        i += 3;
        out.append("\"\"");
        while (i < n && !src.startsWith("\"\"\"", i)) {
          if (src.charAt(i) == '\\') {
            i++;
          } else if (src.charAt(i) == '\n') {
            out.append('\n');
          }
          i++;
        }
        i += 3;
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') {
          if (src.charAt(i) == '\\') {
            i++;
          }
          i++;
        }
        i++;
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return List.of(out.toString().split("\n", -1));
  }
}
