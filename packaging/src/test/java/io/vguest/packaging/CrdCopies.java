package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The chart and the plain manifests carry copies of the generated CRDs in crds/. */
final class CrdCopies {

  static final String HOW_TO_FIX = "copies of the CRDs are stale: run `cp crds/*.yaml helm-chart/crds/ && "
      + "cp crds/*.yaml deploy/crds/` (after regenerating crds/ as the README says)";

  private CrdCopies() {}

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
    }
  }

  static void assertSameAsRepo(Path copy, String label) throws IOException {
    Path source = Repo.root().resolve("crds");
    if (!Files.isDirectory(copy)) {
      fail(HOW_TO_FIX + " (" + label + " does not exist)");
    }
    assertEquals(names(source), names(copy), HOW_TO_FIX + " (" + label + " has other files)");
    for (String name : names(source)) {
      if (!Files.readString(source.resolve(name)).equals(Files.readString(copy.resolve(name)))) {
        fail(HOW_TO_FIX + " (" + label + "/" + name + " differs)");
      }
    }
  }
}
