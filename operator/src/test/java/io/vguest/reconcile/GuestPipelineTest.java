package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DiskBus;
import io.vguest.reconcile.GuestPipeline.Prepared;
import org.junit.jupiter.api.Test;

class GuestPipelineTest {

  private final GuestPipeline pipeline = new GuestPipeline(SyncFixtures.SETTINGS, SyncFixtures.NODE);

  private static final String LEGACY = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: legacy-1, namespace: demo}
      spec:
        nodeName: node-a
        osFamily: other
        machineType: q35
        resources: {cpus: 1, memory: 1Gi}
        disks:
          - name: root
            role: root
            source: {volume: {pool: default, name: legacy-1-root.qcow2}}
          - name: install
            role: cdrom
      """;

  @Test
  void otherFamilyOnQ35IsStampedWithSataInsteadOfIde() {
    Prepared prepared = pipeline.prepare(SyncFixtures.guest(LEGACY), null);
    assertFalse(prepared.refused(), prepared.message());
    VirtualGuest stamped = prepared.stamp().guest();
    assertEquals("q35", stamped.getSpec().machineType, "as written");
    assertEquals(DiskBus.SATA, stamped.getSpec().devices.diskBus);
    assertEquals(DiskBus.SATA, stamped.getSpec().devices.cdromBus);
    assertEquals(DiskBus.SATA, stamped.getSpec().devices.rescueBus);
    assertEquals(DiskBus.FDC, stamped.getSpec().devices.floppyBus);
  }

  @Test
  void otherFamilyKeepsIdeOnItsOwnPcMachine() {
    Prepared prepared = pipeline.prepare(SyncFixtures.guest(LEGACY.replace("  machineType: q35\n", "")), null);
    assertEquals("pc-i440fx-7.2", prepared.stamp().guest().getSpec().machineType);
    assertEquals(DiskBus.IDE, prepared.stamp().guest().getSpec().devices.diskBus);
  }

  @Test
  void aProfilesIdeThatDoesNotFitTheGuestsMachineIsRefusedBeforeAnythingIsStamped() {
    GuestDeviceProfile profile = SyncFixtures.YAML.convertValue(SyncFixtures.YAML.valueToTree(java.util.Map.of(
        "apiVersion", "vguest.io/v1alpha1", "kind", "GuestDeviceProfile",
        "metadata", java.util.Map.of("name", "legacy-ide", "namespace", "demo"),
        "spec", java.util.Map.of("machineType", "pc", "diskBus", "ide"))), GuestDeviceProfile.class);
    VirtualGuest guest = SyncFixtures.guest(LEGACY.replace("osFamily: other", "osFamily: linux")
        .replace("nodeName: node-a", "nodeName: node-a\n  profile: legacy-ide"));
    Prepared prepared = pipeline.prepare(guest, profile);
    assertTrue(prepared.refused());
    assertNull(prepared.stamp());
    assertEquals(Reason.Invalid, prepared.refusal());
    assertTrue(prepared.message().startsWith("spec.devices.diskBus: Invalid value: \"ide\""), prepared.message());
    assertTrue(prepared.message().contains("from GuestDeviceProfile legacy-ide"), prepared.message());
    assertTrue(prepared.message().contains("nothing was stamped"), prepared.message());
  }
}
