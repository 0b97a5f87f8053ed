package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart, rendered by Helm itself: lint, the objects, RBAC, the agent's pod, values. */
class HelmChartTest {

  /** What the node agent may do, and nothing else (docs/security.md). */
  static final List<PolicyRule> CLUSTER_RULES = List.of(
      rule("vguest.io", "virtualguests", "get", "list", "watch", "patch", "update"),
      rule("vguest.io", "virtualguests/status", "get", "patch", "update"),
      rule("vguest.io", "guestdeviceprofiles", "get", "list", "watch"),
      rule("", "events", "create", "patch"));
  static final List<PolicyRule> LEASE_RULES = List.of(
      rule("coordination.k8s.io", "leases", "get", "list", "watch", "create", "update"));

  static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
  }

  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  static EnvVar fieldEnv(String name, String fieldPath) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(fieldPath)
        .endFieldRef().endValueFrom().build();
  }

  static EnvVar seedEnv(String secret, String key) {
    return new EnvVarBuilder().withName("VGUEST_IDENTITY_SEED").withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).endSecretKeyRef().endValueFrom().build();
  }

  static Container agent(Manifests m) {
    PodSpec pod = m.one(DaemonSet.class).getSpec().getTemplate().getSpec();
    assertEquals(1, pod.getContainers().size());
    return pod.getContainers().get(0);
  }

  @Test
  void lintStrictPasses() {
    LintResult result = Chart.helm().lint().strict().call();
    assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
  }

  @Test
  void chartVersionIsTheProjectVersion() throws IOException {
    JsonNode chart = Manifests.YAML.readTree(Repo.chart().resolve("Chart.yaml").toFile());
    String version = System.getProperty("vguest.version");
    assertEquals(version, chart.get("appVersion").asText(), "helm-chart/Chart.yaml appVersion");
    assertEquals(version, chart.get("version").asText(), "helm-chart/Chart.yaml version");
  }

  @Test
  void chartCrdsAreTheGeneratedOnes() throws IOException {
    CrdCopies.assertSameAsRepo(Repo.chart().resolve("crds"), "helm-chart/crds");
    // and Helm finds them where it installs CRDs from
    String shown = Chart.helm().show().crds().call();
    for (String name : CrdCopies.names(Repo.root().resolve("crds"))) {
      String crd = Files.readString(Repo.root().resolve("crds").resolve(name), StandardCharsets.UTF_8);
      assertTrue(shown.contains(crd.strip()), "helm show crds lacks " + name);
    }
  }

  @Test
  void defaultsRenderTheAgentAndItsRights() throws IOException {
    Manifests m = Chart.render();
    m.assertAllStrictlyTyped();
    assertEquals(List.of("Secret/vguest-identity", "ServiceAccount/vguest", "ClusterRole/vguest",
        "ClusterRoleBinding/vguest", "Role/vguest-leases", "RoleBinding/vguest-leases", "DaemonSet/vguest"),
        m.names().stream().sorted((a, b) -> order(a) - order(b)).toList());
    for (JsonNode doc : m.documents()) {
      if (!doc.path("kind").asText().startsWith("Cluster")) {
        assertEquals(Chart.NAMESPACE, doc.path("metadata").path("namespace").asText(), doc.toString());
      }
    }
  }

  private static int order(String name) {
    List<String> kinds = List.of("Secret", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
        "RoleBinding", "DaemonSet");
    return kinds.indexOf(name.substring(0, name.indexOf('/')));
  }

  @Test
  void rbacGrantsExactlyTheAgentsRights() throws IOException {
    Manifests m = Chart.render();
    assertEquals(CLUSTER_RULES, m.one(ClusterRole.class).getRules());
    Role leases = m.one(Role.class);
    assertEquals(LEASE_RULES, leases.getRules());
    assertEquals(Chart.NAMESPACE, leases.getMetadata().getNamespace());

    Subject agent = new Subject(null, "ServiceAccount", "vguest", Chart.NAMESPACE);
    ClusterRoleBinding crb = m.one(ClusterRoleBinding.class);
    assertEquals(List.of(agent), crb.getSubjects());
    assertEquals("ClusterRole/vguest", crb.getRoleRef().getKind() + "/" + crb.getRoleRef().getName());
    RoleBinding rb = m.one(RoleBinding.class);
    assertEquals(List.of(agent), rb.getSubjects());
    assertEquals("Role/vguest-leases", rb.getRoleRef().getKind() + "/" + rb.getRoleRef().getName());
  }

  @Test
  void agentRunsOperatorWithItsSettingsFromEnv() throws IOException {
    Container c = agent(Chart.render());
    assertEquals("vguest:" + System.getProperty("vguest.version"), c.getImage());
    assertEquals(List.of("operator"), c.getArgs());
    assertTrue(c.getCommand().isEmpty(), "the image's entrypoint runs vguest");
    assertEquals(List.of(
        fieldEnv("NODE_NAME", "spec.nodeName"),
        fieldEnv("POD_NAMESPACE", "metadata.namespace"),
        fieldEnv("POD_NAME", "metadata.name"),
        seedEnv("vguest-identity", "seed"),
        env("VGUEST_LIBVIRT_URI", "qemu:///system"),
        env("VGUEST_VIRT_TYPE", "qemu"),
        env("VGUEST_ALLOWED_POOLS", "default"),
        env("VGUEST_DEFAULT_SERIAL_POLICY", "unique"),
        env("VGUEST_HOST_SERIAL_SOURCE", "auto"),
        env("VGUEST_MACHINE_ID_FILE", "/etc/machine-id"),
        env("VGUEST_EXPOSE_CHASSIS_SERIAL", "false"),
        env("VGUEST_EXPOSE_HOST_ID", "true"),
        env("VGUEST_HTTP_PORT", "8080"),
        env("VGUEST_LOG_FORMAT", "text"),
        env("VGUEST_RESYNC_PERIOD", "10m"),
        env("VGUEST_SHUTDOWN_GRACE", "2m"),
        env("VGUEST_SWTPM_STATE_DIR", "/var/lib/libvirt/swtpm")), c.getEnv());
  }

  @Test
  void agentSeesOnlyLibvirtsSocketsTheMachineIdAndSwtpmStateFromTheHost() throws IOException {
    Manifests m = Chart.render();
    PodSpec pod = m.one(DaemonSet.class).getSpec().getTemplate().getSpec();
    assertEquals(List.of(
        mount("libvirt-sockets", Manifests.LIBVIRT_SOCKET_MOUNT, true),
        mount("machine-id", "/etc/machine-id", true),
        mount("tmp", "/tmp", false),
        mount("swtpm-state", "/var/lib/libvirt/swtpm", false)), agent(m).getVolumeMounts());
    Map<String, String> hostPaths = new LinkedHashMap<>();
    for (Volume v : pod.getVolumes()) {
      if (v.getHostPath() != null) {
        hostPaths.put(v.getName(), v.getHostPath().getPath() + " " + v.getHostPath().getType());
      }
    }
    assertEquals(Map.of("libvirt-sockets", "/run/libvirt Directory", "machine-id", "/etc/machine-id File",
        "swtpm-state", "/var/lib/libvirt/swtpm DirectoryOrCreate"), hostPaths);
    Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
    assertEquals("Memory", tmp.getEmptyDir().getMedium());
    assertNull(pod.getHostNetwork());
    assertNull(pod.getHostPID());
    assertNull(pod.getHostIPC());
  }

  @Test
  void hostNetworkOnlyWhenAskedForWithTheDnsPolicyItNeeds() throws IOException {
    PodSpec pod = Chart.render(Map.of("hostNetwork", true)).one(DaemonSet.class).getSpec().getTemplate().getSpec();
    assertEquals(Boolean.TRUE, pod.getHostNetwork());
    assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
    PodSpec byDefault = Chart.render().one(DaemonSet.class).getSpec().getTemplate().getSpec();
    assertNull(byDefault.getHostNetwork());
    assertNull(byDefault.getDnsPolicy());
  }

  static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null).build();
  }

  @Test
  void probesAndMetricsUseTheHttpPort() throws IOException {
    Container c = agent(Chart.render());
    assertEquals(1, c.getPorts().size());
    assertEquals("http", c.getPorts().get(0).getName());
    assertEquals(8080, c.getPorts().get(0).getContainerPort());
    assertProbe(c.getLivenessProbe(), "/healthz");
    assertProbe(c.getReadinessProbe(), "/readyz");
    assertProbe(c.getStartupProbe(), "/healthz");
    assertEquals(new Quantity("100m"), c.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("256Mi"), c.getResources().getRequests().get("memory"));
  }

  private static void assertProbe(Probe probe, String path) {
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals(new IntOrString("http"), probe.getHttpGet().getPort());
  }

  @Test
  void securityContextIsRootWithoutAnyCapability() throws IOException {
    Manifests m = Chart.render();
    PodSpec pod = m.one(DaemonSet.class).getSpec().getTemplate().getSpec();
    assertEquals(0L, pod.getSecurityContext().getRunAsUser());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    var sc = agent(m).getSecurityContext();
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertTrue(sc.getCapabilities().getAdd().isEmpty());
    assertEquals(false, sc.getAllowPrivilegeEscalation());
    assertEquals(false, sc.getPrivileged());
    assertEquals(true, sc.getReadOnlyRootFilesystem());
  }

  @Test
  void seedIsGeneratedOnceIntoAKeptSecret() throws IOException {
    Secret secret = Chart.render().one(Secret.class);
    assertEquals("keep", secret.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
    String seed = new String(Base64.getDecoder().decode(secret.getData().get("seed")), StandardCharsets.UTF_8);
    assertTrue(seed.matches("[A-Za-z0-9]{43}"), seed);
    String other = new String(Base64.getDecoder().decode(Chart.render().one(Secret.class).getData().get("seed")),
        StandardCharsets.UTF_8);
    assertFalse(seed.equals(other), "without a cluster to look up, each render draws a new seed");
  }

  @Test
  void seedFromValuesForDisasterRecovery() throws IOException {
    Secret secret = Chart.render(Map.of("identity", Map.of("seed", "primary-cluster-seed"))).one(Secret.class);
    assertEquals(Base64.getEncoder().encodeToString("primary-cluster-seed".getBytes(StandardCharsets.UTF_8)),
        secret.getData().get("seed"));
  }

  @Test
  void upgradeKeepsTheSeedStoredAtInstall() throws IOException {
    FakeApiServer api = FakeApiServer.get();
    try {
      api.putSecret(Chart.NAMESPACE, "vguest-identity", "seed", "seed-from-first-install");
      for (int i = 0; i < 2; i++) {
        Secret secret = Chart.render().one(Secret.class);
        assertEquals(Base64.getEncoder().encodeToString("seed-from-first-install".getBytes(StandardCharsets.UTF_8)),
            secret.getData().get("seed"));
      }
      // setting the same seed explicitly is fine
      Chart.render(Map.of("identity", Map.of("seed", "seed-from-first-install")));
    } finally {
      api.clear();
    }
  }

  @Test
  void upgradeRefusesToChangeTheStoredSeed() throws IOException {
    FakeApiServer api = FakeApiServer.get();
    try {
      api.putSecret(Chart.NAMESPACE, "vguest-identity", "seed", "seed-from-first-install");
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Chart.template(Map.of("identity", Map.of("seed", "another-seed"))));
      assertTrue(e.getMessage().contains("identity.seed differs from the seed stored in Secret "
          + "vguest-system/vguest-identity"), e.getMessage());
    } finally {
      api.clear();
    }
  }

  @Test
  void existingSecretReplacesTheChartsOwn() throws IOException {
    Manifests m = Chart.render(Map.of("identity", Map.of("existingSecret", "dr-seed", "secretKey", "value")));
    assertFalse(m.has("Secret"), m.names().toString());
    assertTrue(agent(m).getEnv().contains(seedEnv("dr-seed", "value")));
  }

  @Test
  void nonDefaultValuesReachTheAgent() throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("image", Map.of("repository", "registry.example.com/vguest", "digest",
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    values.put("libvirt", Map.of("uri", "qemu+unix:///system?socket=/var/run/libvirt/virtqemud-sock",
        "socketDir", "/var/lib/libvirt/run"));
    values.put("virtType", "kvm");
    values.put("allowedPools", List.of("default", "volumes"));
    values.put("smbios", Map.of("manufacturer", "Example Corp", "product", "Cloud VM", "family", "Virtual"));
    values.put("defaultSerialPolicy", "none");
    values.put("hostSerialSource", "hardware");
    values.put("exposeChassisSerial", true);
    values.put("exposeHostId", false);
    values.put("logFormat", "json");
    values.put("resyncPeriod", "5m");
    values.put("consoleLogDir", "/var/log/vguest/console");
    values.put("httpPort", 9090);
    values.put("nodeSelector", Map.of("vguest.io/libvirt", "true"));
    values.put("tolerations", List.of(Map.of("key", "virtualization", "operator", "Exists", "effect", "NoSchedule")));
    values.put("extraArgs", List.of("--shutdown-grace=5m"));
    values.put("fullnameOverride", "vg");
    Manifests m = Chart.render(values);
    m.assertAllStrictlyTyped();

    DaemonSet ds = m.one(DaemonSet.class);
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertEquals("registry.example.com/vguest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        c.getImage());
    assertEquals(List.of("operator", "--shutdown-grace=5m"), c.getArgs());
    List<EnvVar> env = c.getEnv();
    for (EnvVar expected : List.of(
        seedEnv("vg-identity", "seed"),
        env("VGUEST_LIBVIRT_URI", "qemu+unix:///system?socket=/var/run/libvirt/virtqemud-sock"),
        env("VGUEST_VIRT_TYPE", "kvm"),
        env("VGUEST_ALLOWED_POOLS", "default,volumes"),
        env("VGUEST_DEFAULT_SERIAL_POLICY", "none"),
        env("VGUEST_HOST_SERIAL_SOURCE", "hardware"),
        env("VGUEST_EXPOSE_CHASSIS_SERIAL", "true"),
        env("VGUEST_EXPOSE_HOST_ID", "false"),
        env("VGUEST_SMBIOS_MANUFACTURER", "Example Corp"),
        env("VGUEST_SMBIOS_PRODUCT", "Cloud VM"),
        env("VGUEST_SMBIOS_FAMILY", "Virtual"),
        env("VGUEST_HTTP_PORT", "9090"),
        env("VGUEST_LOG_FORMAT", "json"),
        env("VGUEST_RESYNC_PERIOD", "5m"),
        env("VGUEST_CONSOLE_LOG_DIR", "/var/log/vguest/console"))) {
      assertTrue(env.contains(expected), "missing " + expected + " in " + env);
    }
    assertEquals(9090, c.getPorts().get(0).getContainerPort());
    // the host's socket directory, wherever it is, appears where the image's libvirt looks
    assertEquals(mount("libvirt-sockets", Manifests.LIBVIRT_SOCKET_MOUNT, true), c.getVolumeMounts().get(0));
    assertEquals("/var/lib/libvirt/run", pod.getVolumes().get(0).getHostPath().getPath());
    assertEquals(Map.of("vguest.io/libvirt", "true"), pod.getNodeSelector());
    assertEquals(List.of(new Toleration("NoSchedule", "virtualization", "Exists", null, null)), pod.getTolerations());
    assertEquals("vg", m.one(ClusterRole.class).getMetadata().getName());
  }

  @Test
  void serviceMonitorIsOffByDefaultAndScrapesEveryAgentWhenOn() throws IOException {
    assertFalse(Chart.render().has("ServiceMonitor"));
    assertFalse(Chart.render().has("Service"));

    Manifests m = Chart.render(Map.of("metrics", Map.of("serviceMonitor",
        Map.of("enabled", true, "labels", Map.of("release", "prometheus")))));
    m.assertAllStrictlyTyped();
    var service = m.one(io.fabric8.kubernetes.api.model.Service.class);
    assertEquals("None", service.getSpec().getClusterIP());
    assertEquals(agentSelector(m), service.getSpec().getSelector());
    JsonNode monitor = m.raw("ServiceMonitor");
    assertEquals("monitoring.coreos.com/v1", monitor.get("apiVersion").asText());
    assertEquals("prometheus", monitor.at("/metadata/labels/release").asText());
    assertEquals("http", monitor.at("/spec/endpoints/0/port").asText());
    assertEquals("/metrics", monitor.at("/spec/endpoints/0/path").asText());
    assertEquals(Chart.NAMESPACE, monitor.at("/spec/namespaceSelector/matchNames/0").asText());
    assertEquals(Manifests.YAML.valueToTree(agentSelector(m)), monitor.at("/spec/selector/matchLabels"));
  }

  private static Map<String, String> agentSelector(Manifests m) {
    return m.one(DaemonSet.class).getSpec().getSelector().getMatchLabels();
  }

  @Test
  void podAnnotationsForAnnotationBasedScraping() throws IOException {
    DaemonSet ds = Chart.render(Map.of("metrics", Map.of("podAnnotations", true))).one(DaemonSet.class);
    assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8080", "prometheus.io/path", "/metrics"),
        ds.getSpec().getTemplate().getMetadata().getAnnotations());
  }

  @Test
  void nonRootSetupFromTheValuesFileComments() throws IOException {
    // the alternative values.yaml describes for nodes whose libvirtd grants a group access
    Manifests m = Chart.render(Map.of("podSecurityContext", Map.of("runAsUser", 65532, "runAsGroup", 65532,
        "runAsNonRoot", true, "supplementalGroups", List.of(108), "seccompProfile", Map.of("type", "RuntimeDefault"))));
    var psc = m.one(DaemonSet.class).getSpec().getTemplate().getSpec().getSecurityContext();
    assertEquals(65532L, psc.getRunAsUser());
    assertEquals(true, psc.getRunAsNonRoot());
    assertEquals(List.of(108L), psc.getSupplementalGroups());
  }

  @Test
  void poolGrantsReachTheAgentAndTheAdmissionPolicyIsOffByDefault() throws IOException {
    Manifests defaults = Chart.render();
    assertFalse(defaults.has("ValidatingAdmissionPolicy"), defaults.names().toString());
    assertFalse(defaults.has("ValidatingAdmissionPolicyBinding"), defaults.names().toString());
    assertTrue(agent(defaults).getEnv().stream().noneMatch(e -> e.getName().equals("VGUEST_POOL_GRANTS")));

    Map<String, Object> values = new LinkedHashMap<>();
    values.put("allowedPools", List.of());
    values.put("poolGrants", Map.of("tenant-a", List.of("team-a"), "shared", List.of("team-a", "team-b")));
    values.put("admissionPolicy", Map.of("enabled", true));
    Manifests m = Chart.render(values);
    List<EnvVar> env = agent(m).getEnv();
    assertTrue(env.contains(env("VGUEST_ALLOWED_POOLS", "")), env.toString());
    assertTrue(env.contains(env("VGUEST_POOL_GRANTS", "shared=team-a,team-b;tenant-a=team-a")), env.toString());
    JsonNode policy = m.raw("ValidatingAdmissionPolicy");
    assertEquals("vguest-tenant-volumes", policy.path("metadata").path("name").asText());
    assertEquals("{'shared': ['team-a', 'team-b'], 'tenant-a': ['team-a']}",
        policy.path("spec").path("variables").get(0).path("expression").asText());
    assertTrue(policy.path("spec").path("variables").get(1).path("expression").asText().startsWith("[] + "));
    JsonNode binding = m.raw("ValidatingAdmissionPolicyBinding");
    assertEquals("vguest-tenant-volumes", binding.path("spec").path("policyName").asText());
    assertEquals("Deny", binding.path("spec").path("validationActions").get(0).asText());
  }

  @Test
  void valuesOutsideTheSchemaAreRefused() {
    for (Map<String, ?> bad : List.of(
        Map.of("virtType", "xen"),
        Map.of("defaultSerialPolicy", "random"),
        Map.of("logFormat", "xml"),
        Map.of("allowedPools", List.of()),
        Map.of("allowedPools", List.of("a,b")),
        Map.of("poolGrants", Map.of("tenant-a", List.of("Team_A"))),
        Map.of("poolGrants", Map.of("tenant/a", List.of("team-a"))),
        Map.of("poolGrants", Map.of("tenant-a", List.of())),
        Map.of("admissionPolicy", Map.of("enabled", "yes")),
        Map.of("resyncPeriod", "ten minutes"),
        Map.of("consoleLogDir", "logs/console"),
        Map.of("seedd", "typo"))) {
      assertThrows(IllegalStateException.class, () -> Chart.template(bad), "accepted " + bad);
    }
  }

  @Test
  void existingServiceAccountMustBeNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Chart.template(Map.of("serviceAccount", Map.of("create", false))));
    assertTrue(e.getMessage().contains("serviceAccount.name is required"), e.getMessage());
  }
}
