package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResourcesBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestValidator;
import io.vguest.guest.PoolGrants;
import io.vguest.guest.Violation;
import io.vguest.libvirt.DomainView;
import io.vguest.operator.AgentFixture.Node;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncFixtures;
import io.vguest.testing.RealApiCleaner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants kept apart, on the real API server: pool {@code default} is shared by team-a and team-b,
 * pool {@code tenant-a} is team-a's, and no pool is allowed to every namespace (so team-c has
 * none). A guest of team-b naming the volume vguest created for team-a's guest, a guest of team-c,
 * and a guest of team-b naming team-a's pool are refused, by the node agent (reason Invalid, the
 * field named, nothing defined, the other guests converging) and, with the chart's
 * ValidatingAdmissionPolicy installed, by the API server before they are stored.
 */
class TenantVolumesTest {

  static final GuestSettings TENANTS = AgentFixture.SETTINGS.withAllowedPools(Set.of())
      .withPoolGrants(PoolGrants.parseGrants("default=team-a,team-b;tenant-a=team-a"));

  /** The chart's policy, rendered with the same grants (packaging's AdmissionPolicyCopyTest keeps it equal). */
  static final String POLICY = "/admission-policy/tenant-volumes.yaml";

  static String guest(String namespace, String name, String disks) {
    return """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %s, namespace: %s}
        spec:
          nodeName: node-a
          resources: {cpus: 1, memory: 256Mi}
          disks:
            - {name: root, role: root, source: {volume: {pool: default, name: base.qcow2}}}
        %s
        """.formatted(name, namespace, disks.indent(4));
  }

  /** team-a's guest: vguest creates team-a_web-1_data.qcow2 for its blank disk. */
  static final String OWNER = guest("team-a", "web-1",
      "- {name: data, role: data, source: {blank: {pool: default, size: 1Gi}}}");
  static final String OWN_POOL = guest("team-a", "web-2",
      "- {name: data, role: data, source: {volume: {pool: tenant-a, name: web-2-data.qcow2}}}");
  static final String NEIGHBOUR = guest("team-b", "web-1", "");
  static final String THIEF = guest("team-b", "thief",
      "- {name: data, role: data, source: {volume: {pool: default, name: team-a_web-1_data.qcow2}}}");
  static final String KERNEL_THIEF = guest("team-b", "kernel-thief", "").replace("\n  disks:",
      "\n  kernelBoot:\n    kernel: {pool: default, name: team-a_web-1_data.qcow2}\n  disks:");
  static final String NO_GRANT = guest("team-c", "web-1", "");
  static final String OTHER_POOL = guest("team-b", "trespasser",
      "- {name: data, role: data, source: {blank: {pool: tenant-a, size: 1Gi}}}");

  @TempDir Path dir;
  AgentFixture cluster;

  @BeforeEach
  void setUp() {
    cluster = new AgentFixture(dir);
    RealApiCleaner.ensureNamespaces(cluster.client, "team-a", "team-b", "team-c");
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @Test
  void theAgentRefusesAnotherNamespacesVolumeAndUngrantedPoolsAndTheOtherGuestsConverge() throws Exception {
    Node a = cluster.node("node-a").start(Duration.ofMinutes(10), TENANTS);
    for (String yaml : List.of(OWNER, THIEF, KERNEL_THIEF, NO_GRANT, OTHER_POOL, OWN_POOL, NEIGHBOUR)) {
      cluster.create(yaml);
    }
    for (String[] ready : new String[][] {{"team-a", "web-1"}, {"team-a", "web-2"}, {"team-b", "web-1"}}) {
      eventually(ready[0] + "/" + ready[1] + " Ready=True",
          () -> "True".equals(ready(ready[0], ready[1]).getStatus()));
    }
    assertTrue(a.libvirt.volumeExists("default", "team-a_web-1_data.qcow2"), "vguest created team-a's volume");

    assertRefused("team-b", "thief", "spec.disks[1].source.volume.name: Forbidden: volume \"team-a_web-1_data.qcow2\" "
        + "was created by vguest for a guest of namespace team-a; a guest of namespace team-b may not attach it");
    assertRefused("team-b", "kernel-thief", "spec.kernelBoot.kernel.name: Forbidden: volume "
        + "\"team-a_web-1_data.qcow2\" was created by vguest for a guest of namespace team-a");
    assertRefused("team-c", "web-1", "spec.disks[0].source.volume.pool: Invalid value: \"default\": this node grants "
        + "namespace team-c no storage pool");
    assertRefused("team-b", "trespasser", "spec.disks[1].source.blank.pool: Invalid value: \"tenant-a\": this node "
        + "allows namespace team-b only the pools \"default\"");

    assertEquals(List.of("team-a_web-1", "team-a_web-2", "team-b_web-1"),
        a.libvirt.listAll().stream().map(DomainView::name).sorted().toList(), "domains: the granted guests' only");
    assertEquals(3, a.hypervisor.defines.get(), "one define per granted guest, none for the refused");
  }

  @Test
  void withThePolicyTheApiServerRefusesTheSameGuestsAndStoresNothing() throws Exception {
    List<HasMetadata> policy = policy();
    try {
      policy.forEach(o -> cluster.client.resource(o).serverSideApply());
      // A new policy takes effect asynchronously: wait until the thief is refused.
      KubernetesClientException first = eventually("the policy refuses the thief", () -> refusal(THIEF));
      assertEquals(403, first.getCode(), "reason Forbidden");
      assertTrue(first.getMessage().contains("spec.disks[1].source.volume: Forbidden: volume \"team-a_web-1_data.qcow2\" "
          + "was created by vguest for a guest of namespace team-a; a guest of namespace team-b may not attach it"),
          first.getMessage());
      assertTrue(refusal(KERNEL_THIEF).getMessage().contains("spec.kernelBoot.kernel: Forbidden: volume "
          + "\"team-a_web-1_data.qcow2\""));
      assertEquals(422, refusal(NO_GRANT).getCode(), "reason Invalid");
      assertTrue(refusal(NO_GRANT).getMessage().contains("spec.disks[0].source.volume.pool: Invalid value: "
          + "\"default\": namespace team-c may use only the pools (none)"));
      assertTrue(refusal(OTHER_POOL).getMessage().contains("spec.disks[1].source.blank.pool: Invalid value: "
          + "\"tenant-a\": namespace team-b may use only the pools \"default\""));
      for (String[] refused : new String[][] {{"team-b", "thief"}, {"team-b", "kernel-thief"}, {"team-c", "web-1"},
          {"team-b", "trespasser"}}) {
        assertNull(cluster.get(refused[0], refused[1]), refused[0] + "/" + refused[1] + " is not stored");
      }
      for (String allowed : List.of(OWNER, OWN_POOL, NEIGHBOUR)) {
        assertNotNull(cluster.create(allowed));
      }
      // The agent refuses what the policy refuses, and accepts what it accepts.
      GuestValidator agent = GuestValidator.forPools(TENANTS.pools());
      for (String refused : List.of(THIEF, KERNEL_THIEF, NO_GRANT, OTHER_POOL)) {
        assertTrue(!agent.validate(SyncFixtures.guest(refused)).isEmpty(), refused);
      }
      for (String allowed : List.of(OWNER, OWN_POOL, NEIGHBOUR)) {
        assertEquals(List.<Violation>of(), agent.validate(SyncFixtures.guest(allowed)), allowed);
      }
    } finally {
      cluster.client.resource(policy.get(1)).delete();
      cluster.client.resource(policy.get(0)).delete();
      cluster.client.resource(policy.get(0)).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
      // Admission drops a deleted policy asynchronously too: wait until the thief is accepted again, so
      // that tests after this one on the shared server see no policy.
      eventually("the deleted policy no longer refuses the thief", () -> refusal(THIEF) == null ? Boolean.TRUE : null);
    }
  }

  /** The policy and binding the chart installs, the binding limited to this test's namespaces (the server is shared). */
  private List<HasMetadata> policy() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(POLICY)) {
      assertNotNull(in, POLICY);
      List<HasMetadata> objects = cluster.client.load(in).items();
      assertTrue(objects.get(0) instanceof ValidatingAdmissionPolicy, objects.toString());
      ((ValidatingAdmissionPolicyBinding) objects.get(1)).getSpec().setMatchResources(new MatchResourcesBuilder()
          .withNewNamespaceSelector().addNewMatchExpression().withKey("kubernetes.io/metadata.name")
          .withOperator("In").withValues("team-a", "team-b", "team-c").endMatchExpression().endNamespaceSelector()
          .build());
      return objects;
    }
  }

  private KubernetesClientException refusal(String yaml) {
    KubernetesClientException refused = null;
    try {
      VirtualGuest created = cluster.create(yaml);
      cluster.client.resource(created).withGracePeriod(0).delete(); // not refused (yet): take it back
      cluster.client.resource(created).waitUntilCondition(g -> g == null, 30, TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      refused = e;
    }
    return refused;
  }

  private void assertRefused(String namespace, String name, String messageStart) {
    Condition ready = eventually(namespace + "/" + name + " refused", () -> ready(namespace, name));
    assertEquals("False", ready.getStatus());
    assertEquals("Invalid", ready.getReason());
    assertTrue(ready.getMessage().startsWith(messageStart), ready.getMessage());
    VirtualGuest stored = cluster.get(namespace, name);
    assertNull(stored.getSpec().identity, "nothing stamped into a refused guest");
    assertTrue(stored.getMetadata().getFinalizers() == null || stored.getMetadata().getFinalizers().isEmpty(),
        "no finalizer: nothing was defined");
  }

  private Condition ready(String namespace, String name) {
    VirtualGuest guest = cluster.get(namespace, name);
    return guest == null || guest.getStatus() == null ? null
        : StatusBuilder.condition(guest.getStatus(), StatusBuilder.READY);
  }
}
