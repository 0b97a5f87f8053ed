package io.vguest.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The whole-domain golden files under {@code operator/src/test/resources/golden/}. They are read
 * from the source tree (not the class path) so that regeneration writes where they are committed.
 */
final class GoldenFiles {

  /**
   * Regenerate instead of compare:
   * {@code mvn -B -q test -Dtest=DomainRendererGoldenTest -Dvguest.updateGolden=true}, then review
   * the diff with {@code git diff operator/src/test/resources/golden} before committing.
   */
  static final boolean UPDATE = Boolean.getBoolean("vguest.updateGolden");

  private GoldenFiles() {}

  static Path dir() {
    String root = System.getProperty("vguest.repoRoot", "..");
    return Path.of(root).resolve("operator/src/test/resources/golden").toAbsolutePath().normalize();
  }

  static Path file(String name) {
    return dir().resolve(name);
  }

  static String read(String name) {
    try {
      return Files.readString(file(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("golden file " + file(name) + " unreadable; regenerate with -Dvguest.updateGolden=true", e);
    }
  }

  static void write(String name, String xml) {
    try {
      Files.createDirectories(dir());
      Files.writeString(file(name), xml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names of the .xml files present in the golden directory, sorted. */
  static List<String> present() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
