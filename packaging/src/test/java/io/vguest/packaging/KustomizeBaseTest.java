package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/ is a kustomize base of plain files listed in its kustomization.yaml; it must install
 * what the chart installs with its defaults. Read directly (no kustomize needed), and also through
 * {@code kubectl kustomize} when kubectl is installed.
 */
class KustomizeBaseTest {

  /** Labels only Helm adds. */
  private static final Set<String> HELM_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/managed-by");

  /** The base as kustomize builds it: every listed resource file, in order. */
  static Manifests base() throws IOException {
    JsonNode kustomization = Manifests.YAML.readTree(Repo.deploy().resolve("kustomization.yaml").toFile());
    List<String> fields = new ArrayList<>();
    kustomization.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("apiVersion", "kind", "resources"), fields,
        "deploy/kustomization.yaml: this test reads plain resource lists only; keep the base free of "
            + "patches and generators (put those in overlays)");
    List<Manifests> parts = new ArrayList<>();
    for (JsonNode resource : kustomization.get("resources")) {
      Path file = Repo.deploy().resolve(resource.asText());
      assertTrue(Files.isRegularFile(file), "deploy/kustomization.yaml lists a missing file: " + resource.asText());
      parts.add(Manifests.parse(Files.readString(file, StandardCharsets.UTF_8)));
    }
    return Manifests.of(parts);
  }

  @Test
  void baseParsesIntoKubernetesObjects() throws IOException {
    Manifests base = base();
    base.assertAllStrictlyTyped();
    assertEquals(List.of("Namespace/vguest-system",
        "CustomResourceDefinition/guestdeviceprofiles.vguest.io", "CustomResourceDefinition/virtualguests.vguest.io",
        "ServiceAccount/vguest", "ClusterRole/vguest", "ClusterRoleBinding/vguest", "Role/vguest-leases",
        "RoleBinding/vguest-leases", "DaemonSet/vguest"), base.names());
  }

  @Test
  void baseGrantsTheSameRightsAndRunsTheSameAgentAsTheChartDefaults() throws IOException {
    Manifests base = base();
    Manifests chart = Chart.render();
    // the rules first, for a readable failure
    assertEquals(HelmChartTest.CLUSTER_RULES, base.one(ClusterRole.class).getRules());
    assertEquals(HelmChartTest.LEASE_RULES, base.one(Role.class).getRules());
    var baseAgent = base.one(DaemonSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    var chartAgent = chart.one(DaemonSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(chartAgent.getArgs(), baseAgent.getArgs());
    assertEquals(chartAgent.getEnv(), baseAgent.getEnv());

    // then every object the chart renders (but its generated Secret), whole
    Map<String, JsonNode> fromChart = byName(chart, Set.of("Secret"));
    Map<String, JsonNode> fromBase = byName(base, Set.of("Namespace", "CustomResourceDefinition"));
    assertEquals(fromChart.keySet(), fromBase.keySet());
    for (String name : fromChart.keySet()) {
      Manifests.assertSameYaml(fromChart.get(name), fromBase.get(name), name + " in deploy/ differs from the chart's");
    }
  }

  private static Map<String, JsonNode> byName(Manifests m, Set<String> skipKinds) {
    Map<String, JsonNode> map = new TreeMap<>();
    for (JsonNode doc : m.documents()) {
      if (!skipKinds.contains(doc.path("kind").asText())) {
        map.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(),
            Manifests.withoutLabels(doc, HELM_LABELS));
      }
    }
    return map;
  }

  @Test
  void baseCarriesTheGeneratedCrds() throws IOException {
    CrdCopies.assertSameAsRepo(Repo.deploy().resolve("crds"), "deploy/crds");
  }

  @Test
  void namespaceAllowsTheAgentsHostPaths() throws IOException {
    Namespace ns = base().one(Namespace.class);
    assertEquals("privileged", ns.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
  }

  @Test
  void kubectlKustomizeBuildsTheSameObjects() throws Exception {
    String kubectl = onPath("kubectl");
    assumeTrue(kubectl != null, "kubectl is not installed; the base was checked by reading its files directly");
    Process p = new ProcessBuilder(kubectl, "kustomize", Repo.deploy().toString()).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "kubectl kustomize did not finish");
    assertEquals(0, p.exitValue(), "kubectl kustomize deploy/ failed: " + err);
    Map<String, JsonNode> built = byName(Manifests.parse(out), Set.of());
    Map<String, JsonNode> listed = byName(base(), Set.of());
    assertEquals(listed.keySet(), built.keySet(), "kubectl kustomize builds other objects than deploy/ lists");
    for (String name : listed.keySet()) {
      Manifests.assertSameYaml(Manifests.canonical(listed.get(name)), Manifests.canonical(built.get(name)),
          name + " as kubectl kustomize builds it");
    }
  }

  private static String onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
