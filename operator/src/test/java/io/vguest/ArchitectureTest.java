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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the pure packages pure: {@code devices}, {@code identity} and {@code domain} turn values
 * into values. They must not reach Kubernetes, libvirt or the glue packages, and must not read the
 * clock, the environment or a random source, so that the same input always renders the same
 * domain and derives the same identity.
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
