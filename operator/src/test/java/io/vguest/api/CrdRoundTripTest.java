package io.vguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.testing.RealApi;
import io.vguest.testing.RealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD files as users apply them, with the server's own kubectl: client-side {@code kubectl
 * apply} then {@code kubectl apply --server-side}, and the reverse, each without a conflict or a
 * warning; and what the server stores holds every field of the file with the same value (the
 * files are in the stored form: no {@code priority: 0}, integer bounds as integers). Each run uses
 * a copy of the CRD in a group of its own, so the CRDs the other tests use stay as they are.
 */
@RealApi
class CrdRoundTripTest {

  static final YAMLMapper YAML = new YAMLMapper();

  static Stream<Arguments> crdsAndOrders() throws Exception {
    List<Arguments> cases = new ArrayList<>();
    Path root = Path.of(System.getProperty("vguest.repoRoot", "..")).toAbsolutePath().normalize();
    for (String dir : List.of("crds", "helm-chart/crds", "deploy/crds")) {
      try (Stream<Path> files = Files.list(root.resolve(dir))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          cases.add(Arguments.of(root.relativize(file).toString(), file, true));
          cases.add(Arguments.of(root.relativize(file).toString(), file, false));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, client-side first: {2}")
  @MethodSource("crdsAndOrders")
  void appliesCleanlyClientSideAndServerSideInEitherOrder(String name, Path file, boolean clientSideFirst,
      RealApiServer server) throws Exception {
    ObjectNode crd = (ObjectNode) YAML.readTree(file.toFile());
    String group = "rt" + Math.abs((name + clientSideFirst).hashCode()) + ".vguest.io";
    String plural = crd.path("spec").path("names").path("plural").asText();
    ((ObjectNode) crd.get("spec")).put("group", group);
    ((ObjectNode) crd.get("metadata")).put("name", plural + "." + group);
    Path copy = Files.createTempFile("crd-", ".yaml");
    try {
      YAML.writeValue(copy.toFile(), crd);
      List<String> first = clientSideFirst ? List.of("apply") : List.of("apply", "--server-side");
      List<String> second = clientSideFirst ? List.of("apply", "--server-side") : List.of("apply");
      kubectl(server, first, copy);
      kubectl(server, second, copy);
      kubectl(server, first, copy); // and back again

      String stored = run(server, List.of("get", "crd", plural + "." + group, "-o", "json"), null);
      JsonNode storedSpec = new ObjectMapper().readTree(stored).path("spec");
      List<String> differences = new ArrayList<>();
      compare(crd.get("spec"), storedSpec, "spec", differences);
      assertEquals(List.of(), differences, name + ": fields the server stores differently from the file");
    } finally {
      run(server, List.of("delete", "crd", plural + "." + group, "--ignore-not-found"), null);
      Files.deleteIfExists(copy);
    }
  }

  private static void kubectl(RealApiServer server, List<String> verb, Path file) throws Exception {
    // kubectl's notice that an object applied server-side has no last-applied annotation yet (it adds
    // it) comes with any object, whatever its content; any other warning or a conflict fails.
    String out = run(server, verb, file).lines()
        .filter(l -> !l.contains("is missing the kubectl.kubernetes.io/last-applied-configuration annotation"))
        .collect(java.util.stream.Collectors.joining("\n"));
    assertTrue(!out.toLowerCase(java.util.Locale.ROOT).contains("conflict")
        && !out.toLowerCase(java.util.Locale.ROOT).contains("warning"), String.join(" ", verb) + ": " + out);
  }

  /** Runs kubectl against the server; fails on a non-zero exit. Returns stdout and stderr together. */
  private static String run(RealApiServer server, List<String> args, Path file) throws Exception {
    List<String> command = new ArrayList<>(List.of(server.kubectl().toString(), "--kubeconfig",
        server.kubeconfigFile().toString()));
    command.addAll(args);
    if (file != null) {
      command.addAll(List.of("-f", file.toString()));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl " + args + " timed out");
    assertEquals(0, process.exitValue(), "kubectl " + args + ": " + out);
    return out;
  }

  /** Every field of {@code file} must be in {@code stored} with an equal value (the server may add defaults). */
  static void compare(JsonNode file, JsonNode stored, String path, List<String> differences) {
    if (file.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!stored.has(field.getKey())) {
          differences.add(path + "." + field.getKey() + ": " + field.getValue() + " in the file, not stored");
        } else {
          compare(field.getValue(), stored.get(field.getKey()), path + "." + field.getKey(), differences);
        }
      }
    } else if (file.isArray()) {
      if (file.size() != stored.size()) {
        differences.add(path + ": " + file.size() + " items in the file, " + stored.size() + " stored");
        return;
      }
      for (int i = 0; i < file.size(); i++) {
        compare(file.get(i), stored.get(i), path + "[" + i + "]", differences);
      }
    } else if (!file.equals(stored) && !(file.isTextual() && stored.isTextual() && file.asText()
        .equals(stored.asText()))) {
      differences.add(path + ": " + file + " in the file, " + stored + " stored");
    }
  }
}
