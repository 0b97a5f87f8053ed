package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.IdentityRenewal;
import io.vguest.identity.IdentityGenerator;
import io.vguest.reconcile.GuestPipeline.Prepared;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Generation IDs, declared restores and clones, as the pipeline stamps them and the stamp patch writes them. */
class IdentityRenewalTest {

  private final GuestPipeline pipeline = new GuestPipeline(SyncFixtures.SETTINGS, SyncFixtures.NODE);
  private final IdentityGenerator generator = new IdentityGenerator("test-seed");

  static final String DB = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: db-1, namespace: demo, resourceVersion: "7"}
      spec:
        nodeName: node-a
        resources: {cpus: 1, memory: 1Gi}
        devices: {diskBus: scsi}
        disks:
          - name: root
            role: root
            source: {volume: {pool: default, name: db-1-root.qcow2}}
          - name: logs
            role: data
            bus: virtio
            source: {volume: {pool: default, name: db-1-logs.qcow2}}
        interfaces:
          - name: eth0
            network: default
      """;

  private VirtualGuest prepared(VirtualGuest guest) {
    Prepared prepared = pipeline.prepare(guest, null);
    assertFalse(prepared.refused(), prepared.message());
    return prepared.stamp().guest();
  }

  /** Everything a clone renews. */
  private static List<Object> identity(VirtualGuest g) {
    var spec = g.getSpec();
    return List.of(spec.firmware.serial, spec.firmware.uuid, spec.identity.diskSerials, spec.identity.macAddresses,
        spec.identity.diskWwns, spec.identity.generationId, spec.identity.stampedFor);
  }

  private static Map<String, JsonNode> ops(String patch) throws Exception {
    Map<String, JsonNode> ops = new HashMap<>();
    for (JsonNode op : SyncFixtures.YAML.readTree(patch)) {
      ops.put(op.get("op").asText() + " " + op.get("path").asText(), op.get("value"));
    }
    return ops;
  }

  @Test
  void everyGuestGetsAGenerationIdForRestoreCountZeroAndWwnsOnScsiOnly() {
    VirtualGuest stamped = prepared(SyncFixtures.guest(DB));
    assertEquals(generator.generationId("demo", "db-1", 0), stamped.getSpec().identity.generationId);
    assertEquals(0, stamped.getSpec().identity.generationIdFor);
    assertEquals(Map.of("root", generator.diskWwn("demo", "db-1", "root")), stamped.getSpec().identity.diskWwns,
        "the scsi root disk gets a WWN, the virtio disk none");
    assertEquals(List.of(), pipeline.prepare(stamped, null).stamp().filled(), "stamped once");
  }

  @Test
  void aDeclaredRestoreRenewsTheGenerationIdOnceAndNothingElse() throws Exception {
    VirtualGuest stamped = prepared(SyncFixtures.guest(DB));
    stamped.getMetadata().setResourceVersion("8");
    VirtualGuest declared = SyncFixtures.copy(stamped);
    declared.getSpec().identity.restoreGeneration = 1;

    Prepared restore = pipeline.prepare(declared, null);
    VirtualGuest renewed = restore.stamp().guest();
    assertEquals(generator.generationId("demo", "db-1", 1), renewed.getSpec().identity.generationId);
    assertNotEquals(stamped.getSpec().identity.generationId, renewed.getSpec().identity.generationId);
    assertEquals(1, renewed.getSpec().identity.generationIdFor);
    assertEquals(identity(stamped).subList(0, 5), identity(renewed).subList(0, 5), "serials, uuid, MACs, WWNs stay");

    Map<String, JsonNode> ops = ops(StampPatch.between(restore.base(), renewed, null));
    assertEquals("8", ops.get("test /metadata/resourceVersion").asText(), "guarded by the resourceVersion");
    assertEquals(renewed.getSpec().identity.generationId, ops.get("add /spec/identity/generationId").asText(),
        "an add of an existing member replaces it");
    assertEquals(1, ops.get("add /spec/identity/generationIdFor").asInt());
    assertEquals(3, ops.size(), ops.toString());

    // The same manifest applied again (restoreGeneration still 1): nothing changes any more.
    Prepared again = pipeline.prepare(renewed, null);
    assertEquals(List.of(), again.stamp().filled());
    assertNull(StampPatch.between(again.base(), again.stamp().guest(), null));
  }

  @Test
  void aGenerationIdTheUserWroteIsKeptThroughADeclaredRestore() {
    VirtualGuest guest = SyncFixtures.guest(DB.replace("  devices: {diskBus: scsi}", "  devices: {diskBus: scsi}\n"
        + "  identity: {generationId: 6f1c7b9e-3f4a-4c1e-9a53-2b8f0d6e7a10, restoreGeneration: 3}"));
    VirtualGuest stamped = prepared(guest);
    assertEquals("6f1c7b9e-3f4a-4c1e-9a53-2b8f0d6e7a10", stamped.getSpec().identity.generationId);
    assertNull(stamped.getSpec().identity.generationIdFor);
  }

  @Test
  void aCopyMarkedAsACloneGetsAWholeNewIdentityAndKeepsItsDevices() throws Exception {
    VirtualGuest original = prepared(SyncFixtures.guest(DB));
    VirtualGuest copy = SyncFixtures.copy(original); // kubectl get -o yaml, renamed
    copy.getMetadata().setName("db-2");
    copy.getMetadata().setAnnotations(Map.of(IdentityRenewal.CLONE_OF, "demo/db-1"));

    Prepared prepared = pipeline.prepare(copy, null);
    assertFalse(prepared.refused(), prepared.message());
    VirtualGuest clone = prepared.stamp().guest();
    List<Object> before = identity(original);
    List<Object> after = identity(clone);
    for (int i = 0; i < before.size(); i++) {
      assertNotEquals(before.get(i), after.get(i), "renewed: " + after.get(i));
    }
    assertEquals("demo/db-2", clone.getSpec().identity.stampedFor);
    assertEquals(generator.firmwareUuid("demo", "db-2"), clone.getSpec().firmware.uuid, "derived for the clone");
    assertEquals(original.getSpec().machineType, clone.getSpec().machineType);
    assertEquals(original.getSpec().devices.diskBus, clone.getSpec().devices.diskBus);

    Map<String, JsonNode> ops = ops(StampPatch.between(prepared.base(), clone, null));
    assertEquals(clone.getSpec().firmware.uuid, ops.get("add /spec/firmware/uuid").asText());
    assertEquals("demo/db-2", ops.get("add /spec/identity/stampedFor").asText());
    assertTrue(ops.containsKey("add /spec/identity/diskSerials"), ops.keySet().toString());

    // Stamped once: the clone is now a guest of its own.
    assertEquals(List.of(), pipeline.prepare(clone, null).stamp().filled());
    // The copied manifest applied over it again renews to the very same values.
    assertEquals(after, identity(pipeline.prepare(copy, null).stamp().guest()));
  }

  @Test
  void aCopyWithoutTheMarkIsRefusedAndTheMessageOffersBothWays() {
    VirtualGuest copy = SyncFixtures.copy(prepared(SyncFixtures.guest(DB)));
    copy.getMetadata().setName("db-2");
    Prepared prepared = pipeline.prepare(copy, null);
    assertEquals(Reason.IdentityCopied, prepared.refusal());
    assertTrue(prepared.message().contains(IdentityRenewal.CLONE_OF + "=demo/db-1"), prepared.message());
    assertTrue(prepared.message().contains(GuestPipeline.ACCEPT_IDENTITY + "=demo/db-1"), prepared.message());

    copy.getMetadata().setAnnotations(Map.of(IdentityRenewal.CLONE_OF, "demo/someone-else"));
    assertEquals(Reason.IdentityCopied, pipeline.prepare(copy, null).refusal(), "a clone of the guest it copies only");
  }

  @Test
  void wwnsAreValidatedAndAWwnWrittenOnTheDiskWins() {
    VirtualGuest own = SyncFixtures.guest(DB.replace("name: db-1-root.qcow2}}",
        "name: db-1-root.qcow2}}\n      wwn: 5000C50015EA71AC"));
    VirtualGuest stamped = prepared(own);
    assertNull(stamped.getSpec().identity.diskWwns, "no WWN stamped for a disk with its own");

    Prepared bad = pipeline.prepare(SyncFixtures.guest(DB.replace("name: db-1-root.qcow2}}",
        "name: db-1-root.qcow2}}\n      wwn: 0x5000c50015ea71")), null);
    assertEquals(Reason.Invalid, bad.refusal());
    assertTrue(bad.message().startsWith("spec.disks[0].wwn: Invalid value: \"0x5000c50015ea71\": must be 16 hex "
        + "digits"), bad.message());

    VirtualGuest twice = SyncFixtures.copy(stamped);
    twice.getSpec().identity.diskWwns = Map.of("logs", "5000c50015ea71ac");
    twice.getSpec().disks.get(1).bus = io.vguest.devices.DiskBus.SCSI;
    Prepared duplicate = pipeline.prepare(twice, null);
    assertEquals(Reason.Invalid, duplicate.refusal());
    assertTrue(duplicate.message().contains("spec.identity.diskWwns[logs]: Duplicate value"), duplicate.message());
  }
}
