package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.operator.AgentFixture.Node;
import io.vguest.reconcile.GuestPipeline;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest's identity through the things that happen to its object: re-applies, replaces, copies, restarts. */
class IdentityLifecycleTest {

  @TempDir Path dir;
  AgentFixture cluster;
  Node a;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new AgentFixture(dir);
    a = cluster.node("node-a").start(Duration.ofMinutes(10));
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private VirtualGuest get(String name) {
    return cluster.get("demo", name);
  }

  private VirtualGuest awaitReason(String name, String reason) {
    return eventually(name + " Ready reason " + reason, () -> {
      VirtualGuest g = get(name);
      var ready = g == null || g.getStatus() == null ? null : StatusBuilder.condition(g.getStatus(), StatusBuilder.READY);
      return ready != null && reason.equals(ready.getReason()) ? g : null;
    });
  }

  /** Everything a guest's hardware identity consists of. */
  private static List<Object> identity(VirtualGuest g) {
    return List.of(g.getSpec().firmware.serial, g.getSpec().firmware.uuid, g.getSpec().identity.diskSerials,
        g.getSpec().identity.macAddresses, g.getSpec().machineType, g.getSpec().devices.diskBus);
  }

  private List<String> eventReasons() {
    return cluster.client.v1().events().inNamespace("demo").list().getItems().stream().map(Event::getReason).toList();
  }

  @Test
  void reapplyingTheOriginalManifestAsAMergePatchKeepsEveryStampedValue() throws Exception {
    cluster.create(NodeAgentTest.WEB);
    List<Object> before = identity(awaitReason("web-1", "Running"));
    int defines = a.hypervisor.defines.get();

    // What client-side `kubectl apply` sends for a custom resource: a JSON merge patch of the manifest.
    String manifest = cluster.client.getKubernetesSerialization().asJson(SyncFixtures.guest(NodeAgentTest.WEB));
    cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1")
        .patch(PatchContext.of(PatchType.JSON_MERGE), manifest);

    Thread.sleep(500); // give the agent the chance to (wrongly) act on the update
    assertEquals(before, identity(get("web-1")));
    assertEquals(defines, a.hypervisor.defines.get(), "nothing redefined");
  }

  /**
   * Argo CD's server-side sync: the manifest applied by another field manager. Applying it again
   * (a later sync) keeps every stamped value, which the agent's field manager owns; an apply that
   * sets an owned value without forcing is refused as a conflict naming the agent's manager.
   */
  @Test
  void serverSideApplyByAnotherFieldManagerKeepsEveryStampedValue() throws Exception {
    VirtualGuest manifest = SyncFixtures.guest(NodeAgentTest.WEB);
    cluster.client.resource(manifest).fieldManager("argocd-controller").forceConflicts().serverSideApply();
    List<Object> before = identity(awaitReason("web-1", "Running"));
    int defines = a.hypervisor.defines.get();

    VirtualGuest resync = SyncFixtures.guest(NodeAgentTest.WEB);
    resync.getMetadata().getAnnotations().put("argocd.argoproj.io/tracking-id", "demo:vguest.io/VirtualGuest:demo/web-1");
    cluster.client.resource(resync).fieldManager("argocd-controller").forceConflicts().serverSideApply();
    Thread.sleep(500); // give the agent the chance to (wrongly) act on the update
    assertEquals("demo:vguest.io/VirtualGuest:demo/web-1",
        get("web-1").getMetadata().getAnnotations().get("argocd.argoproj.io/tracking-id"));
    assertEquals(before, identity(get("web-1")));
    assertEquals(defines, a.hypervisor.defines.get(), "nothing redefined");

    VirtualGuest overwrite = SyncFixtures.guest(NodeAgentTest.WEB);
    overwrite.getSpec().firmware = new io.vguest.api.v1alpha1.Firmware();
    overwrite.getSpec().firmware.serial = "SOMEONE-ELSES";
    KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
        () -> cluster.client.resource(overwrite).fieldManager("argocd-controller").serverSideApply());
    assertEquals(409, conflict.getCode());
    assertTrue(conflict.getMessage().contains("vguest-agent") && conflict.getMessage().contains("firmware.serial"),
        conflict.getMessage());
    assertEquals(before, identity(get("web-1")));
  }

  @Test
  void replaceWithoutStampedValuesRestoresThemFromTheDomainNotFromANewSeed() {
    cluster.create(NodeAgentTest.WEB);
    VirtualGuest stamped = awaitReason("web-1", "Running");
    List<Object> before = identity(stamped);

    // An agent configured with another seed would generate other values: restoring must not.
    a.stopAgent();
    a.start(Duration.ofMinutes(10), AgentFixture.SETTINGS.withAllowedPools(java.util.Set.of("default"))
        .withVirtType(AgentFixture.SETTINGS.virtType()).withChassisSerial(false).withSeed("another-seed"));
    eventually("replaced", () -> { // kubectl replace: the whole object, without the stamp (retried on 409)
      VirtualGuest replacement = SyncFixtures.guest(NodeAgentTest.WEB);
      replacement.getMetadata().setResourceVersion(get("web-1").getMetadata().getResourceVersion());
      replacement.getMetadata().setFinalizers(stamped.getMetadata().getFinalizers());
      cluster.client.resource(replacement).update();
      return true;
    });

    VirtualGuest restored = eventually("stamp back", () -> {
      VirtualGuest g = get("web-1");
      return g.getSpec().identity != null && g.getSpec().identity.stampedFor != null ? g : null;
    });
    assertEquals(before, identity(restored));
    assertTrue(eventReasons().contains("IdentityRestored"));
  }

  @Test
  void deleteAndReapplyOfTheSameManifestGivesTheSameIdentity() {
    cluster.create(NodeAgentTest.WEB);
    List<Object> before = identity(awaitReason("web-1", "Running"));
    cluster.client.resource(get("web-1")).delete();
    eventually("deleted", () -> get("web-1") == null);
    assertFalse(a.defined("demo_web-1"));

    cluster.create(NodeAgentTest.WEB);
    assertEquals(before, identity(awaitReason("web-1", "Running")));
  }

  @Test
  void agentRestartAndLostStatusChangeNothing() {
    cluster.create(NodeAgentTest.WEB);
    List<Object> before = identity(awaitReason("web-1", "Running"));
    int defines = a.hypervisor.defines.get();
    a.stopAgent();
    cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1").subresource("status")
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/status\"}]");
    assertEquals(null, get("web-1").getStatus());

    a.start(Duration.ofMinutes(10));
    VirtualGuest after = awaitReason("web-1", "Running");
    assertEquals(before, identity(after));
    assertEquals(after.getSpec().firmware.serial, after.getStatus().serial);
    assertEquals(defines, a.hypervisor.defines.get(), "no redefine after a restart");
  }

  @Test
  void profileEditsNeverChangeAnExistingGuestButShapeNewOnes() throws Exception {
    String profile = java.nio.file.Files.readString(AgentFixture.repoRoot().resolve("examples/linux-profile.yaml"));
    cluster.client.resource(cluster.client.getKubernetesSerialization()
        .unmarshal(profile, io.vguest.api.v1alpha1.GuestDeviceProfile.class)).create();
    String withProfile = NodeAgentTest.WEB.replace("nodeName: node-a", "nodeName: node-a\n  profile: linux-virtio");
    cluster.create(withProfile);
    VirtualGuest existing = awaitReason("web-1", "Running");
    assertEquals(io.vguest.devices.DiskBus.VIRTIO, existing.getSpec().devices.diskBus);
    int defines = a.hypervisor.defines.get();

    var edited = cluster.client.resources(io.vguest.api.v1alpha1.GuestDeviceProfile.class).inNamespace("demo")
        .withName("linux-virtio").get();
    edited.getSpec().diskBus = io.vguest.devices.DiskBus.SATA;
    cluster.client.resource(edited).update();
    cluster.create(withProfile.replace("name: web-1", "name: web-2"));

    VirtualGuest created = awaitReason("web-2", "Running");
    assertEquals(io.vguest.devices.DiskBus.SATA, created.getSpec().devices.diskBus, "a new guest gets the edit");
    assertEquals(identity(existing), identity(get("web-1")), "the existing guest keeps its devices");
    assertEquals(defines + 1, a.hypervisor.defines.get(), "only the new guest was defined");
  }

  @Test
  void anUpgradedAgentWithOtherDefaultsRecomputesNothing() {
    cluster.create(NodeAgentTest.WEB);
    List<Object> before = identity(awaitReason("web-1", "Running"));
    int defines = a.hypervisor.defines.get();
    a.stopAgent();
    a.start(Duration.ofMinutes(10), AgentFixture.SETTINGS.withSeed("another-seed"));
    eventually("reconciled by the new agent",
        () -> a.agent.metrics().scrape().contains("vguest_reconciles_total{outcome=\"done\"}"));
    VirtualGuest after = get("web-1");
    assertEquals(before, identity(after));
    assertEquals(defines, a.hypervisor.defines.get());
  }

  @Test
  void copiedManifestIsRefusedUntilTheCopyIsAcceptedOnPurpose() {
    cluster.create(NodeAgentTest.WEB);
    VirtualGuest original = awaitReason("web-1", "Running");

    VirtualGuest copy = SyncFixtures.guest(NodeAgentTest.WEB);
    copy.getMetadata().setName("web-2");
    copy.setSpec(original.getSpec()); // `kubectl get -o yaml`, renamed: the stamped identity comes along
    cluster.client.resource(copy).create();
    VirtualGuest refused = awaitReason("web-2", "IdentityCopied");
    assertTrue(StatusBuilder.condition(refused.getStatus(), StatusBuilder.READY).getMessage()
        .contains(GuestPipeline.ACCEPT_IDENTITY + "=demo/web-1"));
    assertFalse(a.defined("demo_web-2"), "no second guest with the same identity");

    cluster.client.resource(get("web-1")).delete(); // the original is gone for good
    eventually("original deleted", () -> get("web-1") == null);
    VirtualGuest accept = get("web-2");
    accept.getMetadata().getAnnotations().put(GuestPipeline.ACCEPT_IDENTITY, "demo/web-1");
    cluster.client.resource(accept).update();
    VirtualGuest running = awaitReason("web-2", "Running");
    assertEquals(original.getSpec().firmware.serial, running.getStatus().serial);
    assertEquals(original.getSpec().firmware.uuid, a.libvirt.lookup("demo_web-2").orElseThrow().uuid());
  }

  @Test
  void macAddressesAreComparedWithoutCaseAndOnlyAmongTheGuestsOfTheNode() {
    String withMac = NodeAgentTest.WEB.replace("network: default", "network: default\n      macAddress: \"02:00:00:00:00:0a\"");
    cluster.create(withMac.replace("name: web-1", "name: elsewhere").replace("nodeName: node-a", "nodeName: node-b"));
    cluster.create(withMac.replace("02:00:00:00:00:0a", "02:00:00:00:00:0A"));
    awaitReason("web-1", "Running"); // the guest of node-b does not count
    cluster.create(withMac.replace("name: web-1", "name: web-2"));
    VirtualGuest refused = awaitReason("web-2", "DuplicateMacAddress");
    String message = StatusBuilder.condition(refused.getStatus(), StatusBuilder.READY).getMessage();
    assertTrue(message.contains("02:00:00:00:00:0a") && message.contains("demo/web-1"), message);
    assertFalse(a.defined("demo_web-2"));
  }

  @Test
  void aMacAddressTwoGuestsOfOneNodeShareIsRefused() {
    String withMac = NodeAgentTest.WEB.replace("network: default", "network: default\n      macAddress: \"02:00:00:00:00:01\"");
    cluster.create(withMac);
    awaitReason("web-1", "Running");
    cluster.create(withMac.replace("name: web-1", "name: web-2"));
    VirtualGuest refused = awaitReason("web-2", "DuplicateMacAddress");
    assertNotNull(refused.getStatus());
    assertTrue(StatusBuilder.condition(refused.getStatus(), StatusBuilder.READY).getMessage().contains("demo/web-1"));
    assertFalse(a.defined("demo_web-2"));
  }
}
