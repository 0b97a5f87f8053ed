package io.vguest.guest;

import static io.vguest.guest.TestGuests.LINUX;
import static io.vguest.guest.TestGuests.NODE_A;
import static io.vguest.guest.TestGuests.SETTINGS;
import static io.vguest.guest.TestGuests.guest;
import static io.vguest.guest.TestGuests.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DiskBus;
import io.vguest.devices.VifModel;
import io.vguest.devices.VideoModel;
import io.vguest.identity.SerialPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestStamperTest {

  private final GuestStamper stamper = new GuestStamper(SETTINGS, NODE_A);

  private static final GuestDeviceProfile WINDOWS_PROFILE = profile("""
      apiVersion: vguest.io/v1alpha1
      kind: GuestDeviceProfile
      metadata: {name: win, namespace: demo}
      spec: {osFamily: windows, serialPolicy: none, diskBus: scsi, videoModel: qxl}
      """);

  @Test
  void fillsEveryUnsetValueOnce() {
    GuestStamper.Stamp stamp = stamper.stamp(guest(LINUX), null);
    VirtualGuest stamped = stamp.guest();
    assertEquals(SerialPolicy.UNIQUE, stamped.getSpec().firmware.serialPolicy);
    assertEquals("pc-q35-7.2", stamped.getSpec().machineType, "alias resolved on the node");
    assertEquals(DiskBus.VIRTIO, stamped.getSpec().devices.diskBus);
    assertEquals(List.of("data", "install", "root"), List.copyOf(stamped.getSpec().identity.diskSerials.keySet()),
        "external volume uses its id, every other drive gets a serial");
    assertEquals(List.of("eth0"), List.copyOf(stamped.getSpec().identity.macAddresses.keySet()));
    assertEquals("demo/web-1", stamped.getSpec().identity.stampedFor);
    assertTrue(stamp.filled().containsAll(List.of("/spec/firmware/uuid", "/spec/firmware/serial", "/spec/machineType",
        "/spec/devices/diskBus", "/spec/identity/diskSerials/root", "/spec/identity/macAddresses/eth0")),
        stamp.filled().toString());
  }

  @Test
  void stampingAStampedGuestChangesNothing() {
    VirtualGuest stamped = stamper.stamp(guest(LINUX), null).guest();
    GuestStamper.Stamp again = stamper.stamp(stamped, WINDOWS_PROFILE);
    assertEquals(List.of(), again.filled());
    assertEquals(TestGuests.YAML.valueToTree(stamped), TestGuests.YAML.valueToTree(again.guest()));
  }

  @Test
  void doesNotModifyItsInput() {
    VirtualGuest original = guest(LINUX);
    stamper.stamp(original, null);
    assertNull(original.getSpec().firmware);
    assertNull(original.getSpec().identity);
  }

  @Test
  void explicitValuesAlwaysWin() {
    VirtualGuest guest = guest(LINUX.replace("resources:", """
        firmware: {serial: "VMware-42 1a 2b", uuid: 11111111-2222-3333-4444-555555555555}
          devices: {diskBus: sata}
          machineType: pc-q35-6.2
          resources:"""));
    VirtualGuest stamped = stamper.stamp(guest, WINDOWS_PROFILE).guest();
    assertEquals("VMware-42 1a 2b", stamped.getSpec().firmware.serial);
    assertEquals("11111111-2222-3333-4444-555555555555", stamped.getSpec().firmware.uuid);
    assertEquals(DiskBus.SATA, stamped.getSpec().devices.diskBus);
    assertEquals("pc-q35-6.2", stamped.getSpec().machineType);
  }

  @Test
  void profileFillsWhatTheGuestLeavesOpen() {
    VirtualGuest stamped = stamper.stamp(guest(LINUX), WINDOWS_PROFILE).guest();
    assertEquals(SerialPolicy.NONE, stamped.getSpec().firmware.serialPolicy);
    assertNull(stamped.getSpec().firmware.serial, "no serial is generated under policy none");
    assertEquals(DiskBus.SCSI, stamped.getSpec().devices.diskBus);
    assertEquals(VideoModel.QXL, stamped.getSpec().devices.videoModel);
    assertEquals(VifModel.E1000E, stamped.getSpec().devices.vifModel, "windows family default");
  }

  @Test
  void reCreatedGuestGetsTheSameIdentity() {
    VirtualGuest first = stamper.stamp(guest(LINUX), null).guest();
    VirtualGuest second = new GuestStamper(SETTINGS, NODE_A).stamp(guest(LINUX), null).guest();
    assertEquals(first.getSpec().firmware.uuid, second.getSpec().firmware.uuid);
    assertEquals(first.getSpec().firmware.serial, second.getSpec().firmware.serial);
    assertEquals(first.getSpec().identity.diskSerials, second.getSpec().identity.diskSerials);
    assertEquals(first.getSpec().identity.macAddresses, second.getSpec().identity.macAddresses);
  }

  @Test
  void sameNameInAnotherNamespaceGetsAnotherIdentity() {
    VirtualGuest first = stamper.stamp(guest(LINUX), null).guest();
    VirtualGuest other = stamper.stamp(guest(LINUX.replace("namespace: demo", "namespace: prod")), null).guest();
    assertNotEquals(first.getSpec().firmware.uuid, other.getSpec().firmware.uuid);
    assertNotEquals(first.getSpec().identity.diskSerials.get("root"), other.getSpec().identity.diskSerials.get("root"));
  }

  @Test
  void explicitDiskSerialAndMacAreNotDuplicatedIntoTheMaps() {
    VirtualGuest guest = guest(LINUX.replace("tag: data", "tag: data\n      serial: DATA-1")
        .replace("network: default", "network: default\n      macAddress: 02:00:00:00:00:01"));
    VirtualGuest stamped = stamper.stamp(guest, null).guest();
    assertEquals(List.of("install", "root"), List.copyOf(stamped.getSpec().identity.diskSerials.keySet()));
    assertNull(stamped.getSpec().identity.macAddresses);
  }

  @Test
  void keepsStampedEntriesOfOtherDisks() {
    VirtualGuest stamped = stamper.stamp(guest(LINUX), null).guest();
    stamped.getSpec().identity.diskSerials = new java.util.TreeMap<>(Map.of("old-disk", "KEEPME"));
    VirtualGuest again = stamper.stamp(stamped, null).guest();
    assertEquals("KEEPME", again.getSpec().identity.diskSerials.get("old-disk"));
  }
}
