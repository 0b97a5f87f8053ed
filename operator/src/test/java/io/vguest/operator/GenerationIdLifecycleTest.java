package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.GuestMetadata;
import io.vguest.guest.IdentityRenewal;
import io.vguest.identity.IdentityGenerator;
import io.vguest.operator.AgentFixture.Node;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generation ID in the domain libvirt holds, through what happens to a guest (restarts, lost
 * status, delete and re-apply) and the two declared events that renew identity: a restore and a clone.
 */
class GenerationIdLifecycleTest {

  private static final Pattern GENID = Pattern.compile("<genid>([^<]+)</genid>");

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

  /** The generation ID of the domain as libvirt holds it. */
  private String domainGenid(String name) {
    Matcher m = GENID.matcher(a.libvirt.dumpXml("demo_" + name));
    return m.find() ? m.group(1) : null;
  }

  private void mergePatch(String name, String json) {
    cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  @Test
  void theGenerationIdSurvivesRestartsLostStatusAndDeleteWithReapply() {
    cluster.create(NodeAgentTest.WEB);
    VirtualGuest running = awaitReason("web-1", "Running");
    String genid = running.getSpec().identity.generationId;
    assertEquals(new IdentityGenerator("test-seed").generationId("demo", "web-1", 0), genid);
    assertEquals(genid, domainGenid("web-1"));
    assertEquals(genid, GuestMetadata.parse(a.libvirt.dumpXml("demo_web-1")).identity().generationId());

    a.stopAgent();
    cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1").subresource("status")
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/status\"}]");
    a.start(Duration.ofMinutes(10));
    assertEquals(genid, awaitReason("web-1", "Running").getSpec().identity.generationId);
    assertEquals(genid, domainGenid("web-1"));

    cluster.client.resource(get("web-1")).delete();
    eventually("deleted", () -> get("web-1") == null);
    cluster.create(NodeAgentTest.WEB);
    assertEquals(genid, awaitReason("web-1", "Running").getSpec().identity.generationId);
    assertEquals(genid, domainGenid("web-1"));
  }

  @Test
  void aDeclaredRestoreChangesTheGenerationIdInTheDomainOnce() throws Exception {
    cluster.create(NodeAgentTest.WEB);
    VirtualGuest before = awaitReason("web-1", "Running");
    String genid = domainGenid("web-1");

    // A backup tool declares the restore and the guest is stopped to take it.
    mergePatch("web-1", "{\"spec\":{\"runStrategy\":\"Halted\",\"identity\":{\"restoreGeneration\":1}}}");
    VirtualGuest restored = eventually("genid renewed in the domain", () -> {
      VirtualGuest g = get("web-1");
      String now = domainGenid("web-1");
      return now != null && !now.equals(genid) && now.equals(g.getSpec().identity.generationId) ? g : null;
    });
    assertEquals(new IdentityGenerator("test-seed").generationId("demo", "web-1", 1), domainGenid("web-1"));
    assertEquals(1, restored.getSpec().identity.generationIdFor);
    assertEquals(List.of(before.getSpec().firmware.uuid, before.getSpec().firmware.serial,
        before.getSpec().identity.diskSerials, before.getSpec().identity.macAddresses),
        List.of(restored.getSpec().firmware.uuid, restored.getSpec().firmware.serial,
            restored.getSpec().identity.diskSerials, restored.getSpec().identity.macAddresses),
        "every other identity value stays");

    mergePatch("web-1", "{\"spec\":{\"runStrategy\":\"Always\"}}");
    awaitReason("web-1", "Running");
    int defines = a.hypervisor.defines.get();
    // The same declaration re-applied from Git: nothing is renewed again.
    String manifest = cluster.client.getKubernetesSerialization().asJson(SyncFixtures.guest(NodeAgentTest.WEB
        .replace("  interfaces:", "  identity: {restoreGeneration: 1}\n  interfaces:")));
    mergePatch("web-1", manifest);
    Thread.sleep(500); // give the agent the chance to (wrongly) act on the update
    assertEquals(restored.getSpec().identity.generationId, get("web-1").getSpec().identity.generationId);
    assertEquals(restored.getSpec().identity.generationId, domainGenid("web-1"));
    assertEquals(defines, a.hypervisor.defines.get(), "nothing redefined");
  }

  @Test
  void aCopyMarkedAsACloneRunsWithAWholeNewIdentityBesideItsOriginal() {
    cluster.create(NodeAgentTest.WEB);
    VirtualGuest original = awaitReason("web-1", "Running");

    VirtualGuest copy = SyncFixtures.guest(NodeAgentTest.WEB);
    copy.getMetadata().setName("web-2");
    copy.getMetadata().setAnnotations(Map.of(IdentityRenewal.CLONE_OF, "demo/web-1"));
    copy.setSpec(original.getSpec()); // `kubectl get -o yaml`, renamed: the stamped identity comes along
    cluster.client.resource(copy).create();

    VirtualGuest clone = awaitReason("web-2", "Running");
    assertEquals("demo/web-2", clone.getSpec().identity.stampedFor);
    assertNotEquals(original.getSpec().firmware.serial, clone.getSpec().firmware.serial);
    assertNotEquals(original.getSpec().firmware.uuid, clone.getSpec().firmware.uuid);
    assertNotEquals(original.getSpec().identity.diskSerials, clone.getSpec().identity.diskSerials);
    assertNotEquals(original.getSpec().identity.macAddresses, clone.getSpec().identity.macAddresses);
    assertNotEquals(original.getSpec().identity.generationId, clone.getSpec().identity.generationId);
    assertEquals(clone.getSpec().firmware.uuid, a.libvirt.lookup("demo_web-2").orElseThrow().uuid());
    assertEquals(clone.getSpec().identity.generationId, domainGenid("web-2"));
    assertEquals(clone.getSpec().firmware.serial, clone.getStatus().serial);
    VirtualGuest originalNow = awaitReason("web-1", "Running");
    assertEquals(original.getSpec().firmware.uuid, a.libvirt.lookup("demo_web-1").orElseThrow().uuid());
    assertEquals(original.getSpec().identity.generationId, originalNow.getSpec().identity.generationId);
    assertNotNull(domainGenid("web-1"));
  }

  @Test
  void aCloneGetsItsOwnNvramAndTpmStateAndARestoreKeepsThem() {
    String uefi = NodeAgentTest.WEB.replace("  resources:", "  firmware: {bootMode: uefi, tpm: v2.0}\n  resources:");
    cluster.create(uefi);
    VirtualGuest original = awaitReason("web-1", "Running");
    String nvram = original.getStatus().firmware.nvram;
    String tpmState = original.getStatus().firmware.tpmState;
    assertNotNull(nvram, "a UEFI guest's status names its NVRAM volume");
    assertNotNull(tpmState, "a guest with a TPM names the volume its TPM state travels in");

    VirtualGuest copy = SyncFixtures.guest(uefi);
    copy.getMetadata().setName("web-2");
    copy.getMetadata().setAnnotations(Map.of(IdentityRenewal.CLONE_OF, "demo/web-1"));
    copy.setSpec(original.getSpec());
    cluster.client.resource(copy).create();
    VirtualGuest clone = awaitReason("web-2", "Running");
    assertNotEquals(nvram, clone.getStatus().firmware.nvram, "a clone starts from a fresh variable store");
    assertNotEquals(tpmState, clone.getStatus().firmware.tpmState, "a clone gets a TPM of its own");

    mergePatch("web-1", "{\"spec\":{\"runStrategy\":\"Halted\",\"identity\":{\"restoreGeneration\":1}}}");
    eventually("restore taken", () -> {
      VirtualGuest g = get("web-1");
      return Integer.valueOf(1).equals(g.getSpec().identity.generationIdFor) ? g : null;
    });
    mergePatch("web-1", "{\"spec\":{\"runStrategy\":\"Always\"}}");
    VirtualGuest restored = awaitReason("web-1", "Running");
    assertEquals(List.of(nvram, tpmState),
        List.of(restored.getStatus().firmware.nvram, restored.getStatus().firmware.tpmState),
        "a restore keeps the guest's NVRAM and TPM state");
  }
}
