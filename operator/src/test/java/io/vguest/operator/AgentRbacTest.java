package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.operator.AgentFixture.Node;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agents run with a real token (TokenRequest) of the ServiceAccount that {@code deploy/} and,
 * separately, the Helm chart bind: through a guest's whole life (a profile, create, stop, a move
 * between two agents, delete through the finalizer) no request is forbidden, so a verb missing
 * from either RBAC fails this test. And the RBAC grants nothing more: no wildcards, Leases only in
 * the agents' namespace, no deletes, no Secrets.
 */
class AgentRbacTest {

  static final String NAMESPACE = AgentFixture.LEASES; // vguest-system: the ServiceAccount's and the Leases'
  static final Set<String> RBAC_KINDS = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
      "RoleBinding");

  @TempDir Path dir;
  AgentFixture cluster;
  final List<HasMetadata> applied = new ArrayList<>();

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
      applied.forEach(o -> cluster.client.resource(o).delete());
    }
  }

  /** The RBAC objects of {@code deploy/} or of the chart rendered by {@code helm template}. */
  private List<HasMetadata> rbac(String source) throws Exception {
    String yaml;
    if (source.equals("deploy")) {
      Path deploy = AgentFixture.repoRoot().resolve("deploy");
      yaml = Files.readString(deploy.resolve("serviceaccount.yaml")) + "\n---\n" + Files.readString(deploy
          .resolve("rbac.yaml"));
    } else {
      yaml = new Helm(AgentFixture.repoRoot().resolve("helm-chart")).template().withName("vguest")
          .withNamespace(NAMESPACE).withKubeVersion(io.vguest.testing.RealApiServer.VERSION).call();
    }
    List<HasMetadata> objects = cluster.client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .items().stream().filter(o -> RBAC_KINDS.contains(o.getKind())).toList();
    assertEquals(RBAC_KINDS, objects.stream().map(HasMetadata::getKind).collect(java.util.stream.Collectors.toSet()),
        source + " holds every kind of RBAC object the agent needs");
    return objects;
  }

  @ParameterizedTest(name = "RBAC of {0}")
  @ValueSource(strings = {"deploy", "helm-chart"})
  void agentsWithTheServiceAccountsTokenRunAGuestsWholeLifeWithLeastPrivilege(String source) throws Exception {
    cluster = new AgentFixture(dir);
    for (HasMetadata object : rbac(source)) {
      applied.add(cluster.client.resource(object).forceConflicts().serverSideApply());
    }
    assertLeastPrivilege(source);
    String account = applied.stream().filter(o -> o.getKind().equals("ServiceAccount")).findFirst().orElseThrow()
        .getMetadata().getName();
    String token = cluster.client.serviceAccounts().inNamespace(NAMESPACE).withName(account)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();

    try (ErrorLog log = new ErrorLog()) {
      Node a = cluster.node("node-a", new KubernetesClientBuilder().withConfig(cluster.real.configWithToken(token))
          .build()).start(Duration.ofMinutes(10));
      Node b = cluster.node("node-b", new KubernetesClientBuilder().withConfig(cluster.real.configWithToken(token))
          .build()).start(Duration.ofMinutes(10));
      cluster.client.resource(cluster.client.getKubernetesSerialization().unmarshal(Files.readString(
          AgentFixture.repoRoot().resolve("examples/linux-profile.yaml")), GuestDeviceProfile.class)).create();
      cluster.create(NodeAgentTest.WEB.replace("nodeName: node-a", "nodeName: node-a\n  profile: linux-virtio"));
      eventually("running on node-a", () -> "Running".equals(web().getStatus().state)
          && "node-a".equals(web().getStatus().node));
      eventually("event Created", () -> cluster.client.v1().events().inNamespace("demo").list().getItems().stream()
          .anyMatch(e -> "Created".equals(e.getReason())));

      cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1").edit(g -> {
        g.getSpec().runStrategy = RunStrategy.Halted;
        g.getSpec().nodeName = "node-b";
        return g;
      });
      eventually("moved to node-b", () -> b.defined(NodeAgentTest.DOMAIN) && "node-b".equals(web().getStatus().node));
      assertFalse(a.defined(NodeAgentTest.DOMAIN));

      cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1").delete();
      eventually("deleted through the finalizer", () -> web() == null);
      assertFalse(b.defined(NodeAgentTest.DOMAIN));
      assertEquals(List.of(), log.errors(), "no request of the agents was forbidden");
    }

    try (KubernetesClient agent = new KubernetesClientBuilder().withConfig(cluster.real.configWithToken(token))
        .build()) {
      assertForbidden(() -> agent.resources(VirtualGuest.class).inNamespace("demo").withName("any").delete());
      assertForbidden(() -> agent.secrets().inNamespace(NAMESPACE).list());
      assertForbidden(() -> agent.resource(new LeaseBuilder().withNewMetadata().withName("elsewhere")
          .withNamespace("demo").endMetadata().build()).create());
      assertForbidden(() -> agent.resources(GuestDeviceProfile.class).inNamespace("demo").withName("linux-virtio")
          .edit(p -> p));
    }
  }

  /** The test above can fail: with one verb taken away (writing status), the agents' forbidden request shows. */
  @org.junit.jupiter.api.Test
  void aMissingVerbShowsAsAForbiddenRequest() throws Exception {
    cluster = new AgentFixture(dir);
    for (HasMetadata object : rbac("deploy")) {
      if (object instanceof ClusterRole role) {
        role.getRules().removeIf(r -> r.getResources().contains("virtualguests/status"));
      }
      applied.add(cluster.client.resource(object).forceConflicts().serverSideApply());
    }
    String token = cluster.client.serviceAccounts().inNamespace(NAMESPACE).withName("vguest")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    try (ErrorLog log = new ErrorLog()) {
      cluster.node("node-a", new KubernetesClientBuilder().withConfig(cluster.real.configWithToken(token)).build())
          .start(Duration.ofMinutes(10));
      cluster.create(NodeAgentTest.WEB);
      eventually("a forbidden status write in the log", () -> log.errors().stream()
          .anyMatch(e -> e.contains("virtualguests/status") && e.toLowerCase(java.util.Locale.ROOT).contains("forbidden")));
      assertEquals(null, web().getStatus(), "no status without the verb");
    }
  }

  private VirtualGuest web() {
    return cluster.get("demo", "web-1");
  }

  private static void assertForbidden(Runnable request) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class, request::run);
    assertEquals(403, e.getCode(), e.getMessage());
  }

  /** No wildcard anywhere; Leases only through a Role in the agents' namespace; nothing that deletes. */
  private void assertLeastPrivilege(String source) {
    List<PolicyRule> clusterRules = applied.stream().filter(ClusterRole.class::isInstance)
        .flatMap(r -> ((ClusterRole) r).getRules().stream()).toList();
    List<PolicyRule> namespacedRules = applied.stream().filter(Role.class::isInstance)
        .peek(r -> assertEquals(NAMESPACE, r.getMetadata().getNamespace(), source + ": Role outside " + NAMESPACE))
        .flatMap(r -> ((Role) r).getRules().stream()).toList();
    for (PolicyRule rule : Stream.concat(clusterRules.stream(), namespacedRules.stream()).toList()) {
      Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs()).flatMap(List::stream)
          .forEach(v -> assertFalse(v.contains("*"), source + ": wildcard in " + rule));
      assertFalse(rule.getVerbs().contains("delete") || rule.getVerbs().contains("deletecollection"),
          source + ": the agent deletes nothing: " + rule);
      assertFalse(rule.getResources().contains("secrets"), source + ": no Secrets: " + rule);
    }
    assertTrue(clusterRules.stream().noneMatch(r -> r.getResources().contains("leases")),
        source + ": Leases only in the agents' namespace");
    assertTrue(applied.stream().filter(RoleBinding.class::isInstance).allMatch(r -> NAMESPACE.equals(
        r.getMetadata().getNamespace())));
    assertTrue(applied.stream().anyMatch(ClusterRoleBinding.class::isInstance));
  }
}
