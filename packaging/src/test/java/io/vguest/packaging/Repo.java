package io.vguest.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository the tests check: the chart, the plain manifests, CRDs and guides. */
final class Repo {

  private Repo() {}

  static Path root() {
    Path root = Path.of(System.getProperty("vguest.repoRoot", "..")).toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("crds"))) {
      throw new IllegalStateException("repository root not found at " + root + " (set -Dvguest.repoRoot)");
    }
    return root;
  }

  static Path chart() {
    return root().resolve("helm-chart");
  }

  static Path deploy() {
    return root().resolve("deploy");
  }

  static Path docs() {
    return root().resolve("docs");
  }
}
