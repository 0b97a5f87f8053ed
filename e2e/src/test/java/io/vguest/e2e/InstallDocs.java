package io.vguest.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The install guide's command blocks marked {@code <!-- tested, install tier -->}, read from
 * docs/install.md and run on the tier's node as written, so guide and tier cannot drift. They run
 * with bash in a directory that looks like a checkout of this repository (chart, manifests and CRDs
 * linked, examples/ holding the examples as this node runs them, the guide's my-values.yaml), with
 * the node's kubectl on the PATH and its admin kubeconfig. There is no helm binary on this machine:
 * a block's helm lines are parsed (install, upgrade, uninstall with -n, -f and --set; any other flag
 * fails) and run through helm-java, with one values file for what this node needs added after the
 * guide's.
 */
final class InstallDocs {

  static final String GUIDE = "docs/install.md";
  static final String MARKER = "tested, install tier";
  /** The image name the guide's values use, as if pushed to a registry; the node has it tagged so. */
  static final String REGISTRY_IMAGE = "registry.example.com/vguest";
  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*)\\s*$");
  private static final Pattern MARKER_LINE = Pattern.compile("^\\s*<!--\\s*(.*?)\\s*-->\\s*$");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** A fenced block of the guide: the line it starts on, the marker above it (or ""), its text. */
  record Block(int line, String marker, String language, String text) {}

  private final InstallTier tier;
  final Path checkout;
  private final Set<Integer> ran = new TreeSet<>();

  InstallDocs(InstallTier tier) throws Exception {
    this.tier = tier;
    this.checkout = tier.work.resolve("checkout");
    LibvirtDaemon.deleteTree(checkout);
    Files.createDirectories(checkout.resolve("examples"));
    for (String dir : List.of("helm-chart", "deploy", "crds")) {
      Files.createSymbolicLink(checkout.resolve(dir), tier.repoRoot.resolve(dir));
    }
    for (String profile : List.of("linux-profile.yaml", "windows-profile.yaml")) {
      Files.copy(tier.repoRoot.resolve("examples").resolve(profile), checkout.resolve("examples").resolve(profile));
    }
    Files.writeString(checkout.resolve(ExampleGuests.LINUX_FILE), tier.examples.linuxGuest());
    Files.writeString(checkout.resolve(ExampleGuests.WINDOWS_FILE), tier.examples.windowsGuest());
    Files.writeString(checkout.resolve("my-values.yaml"), blocks().stream()
        .filter(b -> b.language().equals("yaml") && b.text().startsWith("# my-values.yaml")).findFirst()
        .orElseThrow(() -> new AssertionError(GUIDE + " has no my-values.yaml block")).text());
  }

  static List<Block> blocks(Path guide) throws Exception {
    List<String> lines = Files.readAllLines(guide, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches() || open.group(2).isEmpty()) {
        continue;
      }
      String marker = "";
      for (int j = i - 1; j >= 0 && marker.isEmpty(); j--) {
        if (!lines.get(j).isBlank()) {
          Matcher m = MARKER_LINE.matcher(lines.get(j));
          marker = m.matches() ? m.group(1) : "-";
        }
      }
      String indent = open.group(1);
      int start = i + 1;
      StringBuilder text = new StringBuilder();
      for (i = i + 1; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
        String line = lines.get(i);
        text.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading()).append('\n');
      }
      blocks.add(new Block(start, marker, open.group(2), text.toString()));
    }
    return blocks;
  }

  List<Block> blocks() throws Exception {
    return blocks(tier.repoRoot.resolve(GUIDE));
  }

  /** The lines of the guide's install-tier blocks the tier has not run (should be none at the end). */
  List<Integer> notRun() throws Exception {
    return blocks().stream().filter(b -> b.marker().equals(MARKER)).map(Block::line).filter(l -> !ran.contains(l))
        .toList();
  }

  /** Runs the guide's install-tier block that begins with {@code start}; returns its shell output. */
  String run(String start) throws Exception {
    return run(start, "", "");
  }

  /**
   * Runs the guide's install-tier block that begins with {@code start}, with {@code example}
   * replaced by {@code here} (a name of the guide's cluster that this node has otherwise).
   */
  String run(String start, String example, String here) throws Exception {
    Block block = blocks().stream().filter(b -> b.marker().equals(MARKER) && b.text().startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError(GUIDE + " has no block marked <!-- " + MARKER + " --> starting with \""
            + start + "\""));
    ran.add(block.line());
    String text = example.isEmpty() ? block.text() : block.text().replace(example, here);
    StringBuilder output = new StringBuilder();
    StringBuilder shell = new StringBuilder();
    for (String line : text.lines().toList()) {
      if (line.startsWith("helm ")) {
        output.append(shell(shell.toString(), block));
        shell.setLength(0);
        helm(line, block);
      } else {
        shell.append(line).append('\n');
      }
    }
    return output.append(shell(shell.toString(), block)).toString();
  }

  private String shell(String script, Block block) throws Exception {
    if (script.isBlank()) {
      return "";
    }
    Path file = checkout.resolve(".block.sh");
    Files.writeString(file, "set -euo pipefail\n" + script);
    Commands.Result r = Commands.run(checkout, Duration.ofMinutes(5), "env", "KUBECONFIG=" + tier.cluster.kubeconfig,
        "PATH=" + tier.cluster.bin + ":" + System.getenv("PATH"), "bash", file.toString());
    if (!r.ok()) {
      throw new AssertionError(GUIDE + ":" + block.line() + " failed (exit " + r.exit() + "):\n" + script
          + "--- output ---\n" + r.output());
    }
    return r.output();
  }

  /** One helm line of the guide, run through helm-java with this node's values added. */
  private void helm(String line, Block block) throws Exception {
    List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
    String where = GUIDE + ":" + block.line() + ": ";
    String verb = words.get(1);
    String release = words.get(2);
    String namespace = null;
    Path chart = null;
    List<Path> values = new ArrayList<>();
    List<String[]> sets = new ArrayList<>();
    int i = 3;
    if (!verb.equals("uninstall")) {
      chart = checkout.resolve(words.get(i++)).normalize();
    }
    for (; i < words.size(); i++) {
      String flag = words.get(i);
      String value = i + 1 < words.size() ? words.get(++i) : null;
      switch (flag) {
        case "-n", "--namespace" -> namespace = value;
        case "-f", "--values" -> values.add(checkout.resolve(value));
        case "--set" -> sets.add(value.split("=", 2));
        default -> throw new AssertionError(where + "helm flag " + flag + " is not run by the install tier: " + line);
      }
    }
    values.add(nodeValues());
    switch (verb) {
      case "install" -> {
        InstallCommand c = new Helm(chart).install().withName(release).withNamespace(namespace)
            .withKubeConfig(tier.cluster.kubeconfig);
        values.forEach(c::withValuesFile);
        sets.forEach(s -> c.set(s[0], s[1]));
        c.call();
      }
      case "upgrade" -> {
        UpgradeCommand c = new Helm(chart).upgrade().withName(release).withNamespace(namespace)
            .withKubeConfig(tier.cluster.kubeconfig);
        values.forEach(c::withValuesFile);
        sets.forEach(s -> c.set(s[0], s[1]));
        c.call();
      }
      case "uninstall" -> Helm.uninstall(release).withNamespace(namespace).withKubeConfig(tier.cluster.kubeconfig)
          .call();
      default -> throw new AssertionError(where + "helm " + verb + " is not run by the install tier: " + line);
    }
  }

  /**
   * What this node needs on top of the guide's values: the build's image tag (never pulled), the
   * private libvirtd's socket and swtpm directories, QEMU without hardware virtualisation (the
   * guide's comment on virtType), the pools the examples name, the suite's seed (so the identity the
   * guests report can be derived here), the console directory, a free port, and host networking
   * with the API server's address (there is no kube-proxy).
   */
  Path nodeValues() throws Exception {
    ObjectNode v = YAML.createObjectNode();
    v.putObject("image").put("tag", tier.version).put("pullPolicy", "Never");
    v.putObject("libvirt").put("socketDir", tier.daemon.socketDir().toString());
    v.put("swtpmStateDir", tier.daemon.dir.resolve("lib/swtpm").toString());
    v.put("virtType", "qemu");
    v.putObject("identity").put("seed", E2eEnvironment.SEED);
    ArrayNode pools = v.putArray("allowedPools");
    tier.examples.pools.forEach(pools::add);
    v.put("consoleLogDir", tier.node.consoleDir.toString());
    v.put("shutdownGrace", "30s");
    v.put("httpPort", tier.agentPort);
    v.put("hostNetwork", true);
    ArrayNode env = v.putArray("extraEnv");
    env.addObject().put("name", "KUBERNETES_SERVICE_HOST").put("value", "127.0.0.1");
    env.addObject().put("name", "KUBERNETES_SERVICE_PORT").put("value", String.valueOf(tier.cluster.apiPort));
    Path file = tier.work.resolve("node-values.yaml");
    YAML.writeValue(file.toFile(), v);
    return file;
  }
}
