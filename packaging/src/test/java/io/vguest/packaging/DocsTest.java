package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vguest.reconcile.Reason;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The guides in docs/: every shell block is run here or marked illustrative (docs/README.md says
 * how), YAML parses, values files fit the chart, links resolve, Argo CD settings are the ones the
 * guides promise, and every condition reason is explained.
 */
class DocsTest {

  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*)\\s*$");
  private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*(tested|illustrative)\\b(.*?)-->\\s*$");
  private static final Set<String> SHELL = Set.of("sh", "shell", "bash", "console");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HELM_SET = Pattern.compile("--set ([A-Za-z0-9_.\\\\/-]+)=");

  /** A fenced block: where it is, its language, the marker above it (or null), its text. */
  record Block(Path file, int line, String language, String marker, String text) {
    String where() {
      return Repo.root().relativize(file) + ":" + line;
    }

    boolean shell() {
      return SHELL.contains(language);
    }

    /** Run here; blocks marked "tested, install tier" need a cluster and run in e2e's install tier. */
    boolean tested() {
      return marker != null && marker.startsWith("tested") && !marker.contains("install tier");
    }
  }

  static List<Path> guides() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(Repo.docs())) {
      walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    files.add(Repo.chart().resolve("README.md"));
    return files;
  }

  static List<Block> blocks(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches() || open.group(2).isEmpty()) {
        continue;
      }
      String indent = open.group(1);
      String marker = null;
      for (int j = i - 1; j >= 0; j--) {
        if (!lines.get(j).isBlank()) {
          Matcher m = MARKER.matcher(lines.get(j));
          marker = m.matches() ? (m.group(1) + m.group(2)).trim() : null;
          break;
        }
      }
      StringBuilder text = new StringBuilder();
      int start = i + 1;
      for (i = i + 1; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
        String line = lines.get(i);
        text.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading()).append('\n');
      }
      blocks.add(new Block(file, start, open.group(2), marker, text.toString()));
    }
    return blocks;
  }

  static List<Block> allBlocks() throws IOException {
    List<Block> all = new ArrayList<>();
    for (Path guide : guides()) {
      all.addAll(blocks(guide));
    }
    return all;
  }

  @Test
  void everyShellBlockIsTestedOrIllustrative() throws IOException {
    List<String> unmarked = allBlocks().stream().filter(Block::shell).filter(b -> b.marker() == null)
        .map(Block::where).toList();
    assertEquals(List.of(), unmarked, "shell blocks need <!-- tested --> or <!-- illustrative: why --> above them");
  }

  @TestFactory
  Stream<DynamicTest> testedBlocksRunAsWritten() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path guide : guides()) {
      List<Block> tested = blocks(guide).stream().filter(Block::shell).filter(Block::tested).toList();
      if (!tested.isEmpty()) {
        tests.add(DynamicTest.dynamicTest(Repo.root().relativize(guide).toString(), () -> runInScratchCopy(tested)));
      }
    }
    assertTrue(tests.size() >= 3, "the guides should keep some runnable examples");
    return tests.stream();
  }

  /**
   * Runs one guide's tested blocks in order, in one directory that looks like a checkout of this
   * repository (so later blocks see earlier blocks' files) plus the files of docs/examples.
   */
  private static void runInScratchCopy(List<Block> blocks) throws Exception {
    Path scratch = Files.createTempDirectory("vguest-docs-");
    try {
      for (String dir : List.of("examples", "crds", "helm-chart", "deploy", "docs")) {
        Files.createSymbolicLink(scratch.resolve(dir), Repo.root().resolve(dir));
      }
      // bin/vguest finds its jar relative to itself: call the repository's.
      Path wrapper = Files.createDirectories(scratch.resolve("bin")).resolve("vguest");
      Files.writeString(wrapper, "#!/usr/bin/env bash\nexec " + Repo.root().resolve("bin/vguest") + " \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
      try (Stream<Path> examples = Files.list(Repo.docs().resolve("examples"))) {
        for (Path example : examples.toList()) {
          Files.copy(example, scratch.resolve(example.getFileName()));
        }
      }
      for (Block block : blocks) {
        if (block.marker().contains("needs kubectl") && onPath("kubectl") == null) {
          assumeTrue(false, block.where() + " needs kubectl, which is not installed; the block was not run");
        }
        Path script = scratch.resolve(".block.sh");
        Files.writeString(script, "set -euo pipefail\n" + block.text());
        Process p = new ProcessBuilder("bash", script.toString()).directory(scratch.toFile())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), block.where() + " did not finish");
        assertEquals(0, p.exitValue(), block.where() + " failed:\n" + block.text() + "\n--- output ---\n" + out);
      }
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p); // deletes the links, not what they point to
        }
      }
    }
  }

  @Test
  void yamlBlocksParse() throws IOException {
    for (Block block : allBlocks()) {
      if (block.language().equals("yaml")) {
        try {
          Manifests.parse(block.text());
        } catch (IOException e) {
          fail(block.where() + ": not valid YAML: " + e.getMessage());
        }
      }
    }
  }

  @Test
  void valuesInTheGuidesFitTheChart() throws IOException {
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
        .getSchema(Manifests.YAML.readTree(Repo.chart().resolve("values.schema.json").toFile()));
    JsonNode defaults = Manifests.YAML.readTree(Repo.chart().resolve("values.yaml").toFile());
    int checked = 0;
    for (Block block : allBlocks()) {
      if (!block.language().equals("yaml")) {
        continue;
      }
      for (JsonNode doc : Manifests.parse(block.text()).documents()) {
        JsonNode values = null;
        if (block.text().startsWith("# my-values.yaml")) {
          values = doc;
        } else if (doc.path("kind").asText().equals("Application")) {
          values = doc.at("/spec/source/helm/valuesObject");
        } else if (doc.path("kind").asText().equals("HelmRelease")) {
          values = doc.at("/spec/values");
        }
        if (values != null && !values.isMissingNode()) {
          Set<ValidationMessage> errors = schema.validate(merge(defaults.deepCopy(), values));
          assertEquals(Set.of(), errors, block.where() + ": values the chart refuses");
          checked++;
        }
      }
    }
    assertTrue(checked >= 3, "values files found in the guides: " + checked);

    for (Path guide : guides()) {
      Matcher m = HELM_SET.matcher(Files.readString(guide, StandardCharsets.UTF_8));
      while (m.find()) {
        JsonNode node = defaults;
        for (String key : m.group(1).split("(?<!\\\\)\\.")) {
          node = node.path(key.replace("\\.", "."));
        }
        assertTrue(!node.isMissingNode() || m.group(1).startsWith("nodeSelector."),
            Repo.root().relativize(guide) + ": --set " + m.group(1) + " is not a value of the chart");
      }
    }
  }

  private static JsonNode merge(JsonNode base, JsonNode overlay) {
    if (base instanceof com.fasterxml.jackson.databind.node.ObjectNode b && overlay.isObject()) {
      overlay.fields().forEachRemaining(e -> b.set(e.getKey(), merge(b.path(e.getKey()), e.getValue())));
      return b;
    }
    return overlay;
  }

  @Test
  void argoCdApplicationsApplyAndDiffServerSideAndNeverReplace() throws IOException {
    int applications = 0;
    for (Block block : allBlocks()) {
      if (!block.language().equals("yaml")) {
        continue;
      }
      for (String forbidden : List.of("Replace=true", "Force=true")) {
        assertTrue(!block.text().contains(forbidden), block.where() + " sets " + forbidden);
      }
      for (JsonNode doc : Manifests.parse(block.text()).documents()) {
        if (doc.path("kind").asText().equals("Application")) {
          applications++;
          assertTrue(doc.at("/metadata/annotations/argocd.argoproj.io~1compare-options").asText()
              .contains("ServerSideDiff=true"), block.where() + ": Application without ServerSideDiff=true");
          List<String> options = new ArrayList<>();
          doc.at("/spec/syncPolicy/syncOptions").forEach(o -> options.add(o.asText()));
          assertTrue(options.contains("ServerSideApply=true"), block.where() + ": Application without ServerSideApply=true");
        }
      }
    }
    assertTrue(applications >= 2, "Argo CD Applications in the guides: " + applications);
  }

  @Test
  void healthCheckInTheGuideIsTheTestedScript() throws IOException {
    String script = Files.readString(Repo.docs().resolve("argocd/virtualguest-health.lua"), StandardCharsets.UTF_8);
    int found = 0;
    for (Block block : blocks(Repo.docs().resolve("gitops.md"))) {
      if (block.language().equals("yaml") && block.text().contains("resource.customizations.health")) {
        JsonNode cm = Manifests.parse(block.text()).documents().get(0);
        assertEquals(script, cm.at("/data/resource.customizations.health.vguest.io_VirtualGuest").asText(),
            block.where() + " differs from docs/argocd/virtualguest-health.lua");
        found++;
      }
    }
    assertEquals(1, found, "the argocd-cm block with the health check");
  }

  @Test
  void troubleshootingExplainsEveryReason() throws IOException {
    String guide = Files.readString(Repo.docs().resolve("troubleshooting.md"), StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (Reason reason : Reason.values()) {
      if (!guide.contains("\n### " + reason.name() + "\n")) {
        missing.add(reason.name());
      }
    }
    assertEquals(List.of(), missing, "docs/troubleshooting.md needs a '### <Reason>' section for each reason");
  }

  @Test
  void guidesAreListedAndLinksResolve() throws IOException {
    String index = Files.readString(Repo.docs().resolve("README.md"), StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(Repo.docs())) {
      for (Path guide : files.filter(p -> p.toString().endsWith(".md")).toList()) {
        String name = guide.getFileName().toString();
        assertTrue(name.equals("README.md") || index.contains("](" + name + ")"), "docs/README.md does not list " + name);
      }
    }
    List<Path> pages = new ArrayList<>(guides());
    pages.add(Repo.root().resolve("README.md"));
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher m = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue;
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(Repo.root().relativize(page) + ": " + target);
        } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
          broken.add(Repo.root().relativize(page) + ": " + target + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  static Set<String> anchors(Path md) throws IOException {
    Set<String> anchors = new LinkedHashSet<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(md, StandardCharsets.UTF_8)) {
      if (line.trim().startsWith("```")) {
        inFence = !inFence;
      } else if (!inFence && line.startsWith("#")) {
        String title = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
        anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static String onPath(String command) {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return Path.of(dir, command).toString();
      }
    }
    return null;
  }
}
