package io.vguest.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceResolverTest {

  private final DeviceResolver resolver = new DeviceResolver(Map.of("q35", "pc-q35-7.2", "pc", "pc-i440fx-7.2"));

  @Test
  void guestBeatsProfileBeatsFamilyDefaults() {
    DeviceChoices guest = DeviceChoices.NONE.orElse(new DeviceChoices(null, DiskBus.SCSI, null, null, null, null,
        null, null, null, null, null));
    DeviceChoices profile = new DeviceChoices(null, DiskBus.SATA, null, null, null, null, null, null, null,
        VideoModel.QXL, VifModel.E1000);
    DeviceChoices resolved = resolver.resolve(guest, profile, OsFamily.WINDOWS);
    assertEquals(DiskBus.SCSI, resolved.diskBus());
    assertEquals(VideoModel.QXL, resolved.videoModel());
    assertEquals(VifModel.E1000, resolved.vifModel());
    assertEquals(InputBus.USB, resolved.inputBus(), "from the windows defaults");
    assertTrue(resolved.complete());
  }

  @Test
  void linuxDefaultsAreVirtioOnQ35() {
    DeviceChoices resolved = resolver.resolve(DeviceChoices.NONE, null, OsFamily.LINUX);
    assertEquals(new DeviceChoices("pc-q35-7.2", DiskBus.VIRTIO, DiskBus.SATA, DiskBus.FDC, DiskBus.VIRTIO,
        InputBus.VIRTIO, PointerModel.USBTABLET, RngModel.VIRTIO, ScsiModel.VIRTIO_SCSI, VideoModel.VIRTIO,
        VifModel.VIRTIO), resolved);
  }

  @Test
  void windowsDefaultsUseInBoxDrivers() {
    DeviceChoices resolved = resolver.resolve(DeviceChoices.NONE, null, OsFamily.WINDOWS);
    assertEquals(DiskBus.SATA, resolved.diskBus());
    assertEquals(DiskBus.SATA, resolved.cdromBus());
    assertEquals(VifModel.E1000E, resolved.vifModel());
    assertEquals(InputBus.USB, resolved.inputBus());
    assertEquals(PointerModel.USBTABLET, resolved.pointerModel());
    assertEquals(VideoModel.VGA, resolved.videoModel());
  }

  @Test
  void otherFamilyGetsConservativePcWithIde() {
    DeviceChoices resolved = resolver.resolve(DeviceChoices.NONE, null, OsFamily.OTHER);
    assertEquals("pc-i440fx-7.2", resolved.machineType());
    assertEquals(DiskBus.IDE, resolved.diskBus());
    assertEquals(VifModel.E1000, resolved.vifModel());
  }

  @Test
  void otherFamilyOnQ35GetsSataWhereItsDefaultsSayIde() {
    DeviceChoices q35 = new DeviceChoices("q35", null, null, null, null, null, null, null, null, null, null);
    DeviceChoices resolved = resolver.resolve(q35, null, OsFamily.OTHER);
    assertEquals(new DeviceChoices("pc-q35-7.2", DiskBus.SATA, DiskBus.SATA, DiskBus.FDC, DiskBus.SATA,
        InputBus.USB, PointerModel.USBTABLET, RngModel.NONE, ScsiModel.LSILOGIC, VideoModel.VGA, VifModel.E1000),
        resolved);
    assertEquals(DiskBus.SATA, resolver.resolve(DeviceChoices.NONE,
        new DeviceChoices("pc-q35-6.2", null, null, null, null, null, null, null, null, null, null), OsFamily.OTHER)
        .diskBus(), "a profile's q35 counts too");
  }

  @Test
  void busesTheGuestOrProfileSetAreKeptAsSet() {
    DeviceChoices ide = new DeviceChoices("q35", DiskBus.IDE, null, null, null, null, null, null, null, null, null);
    assertEquals(DiskBus.IDE, resolver.resolve(ide, null, OsFamily.OTHER).diskBus(), "the validator refuses it");
  }

  @Test
  void unknownFamilyFallsBackToBuiltIns() {
    assertEquals(resolver.resolve(DeviceChoices.NONE, null, OsFamily.LINUX),
        resolver.resolve(DeviceChoices.NONE, null, null));
  }

  @Test
  void aliasesResolveAndVersionedTypesStay() {
    assertEquals("pc-q35-7.2", resolver.concreteMachineType("q35"));
    assertEquals("pc-q35-6.2", resolver.concreteMachineType("pc-q35-6.2"));
    assertEquals(null, resolver.concreteMachineType(null));
    assertEquals("q35", new DeviceResolver(Map.of()).concreteMachineType("q35"));
  }

  @Test
  void choicesRoundTripThroughTheirMap() {
    DeviceChoices choices = OsFamilyDefaults.WINDOWS;
    assertEquals(choices, DeviceChoices.fromMap(choices.asMap()));
    assertEquals(List.of(), choices.unset());
  }

  @Test
  void unknownValueNamesTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeviceChoices.fromMap(Map.of("diskBus", "nvme")));
    assertEquals("Unsupported value: \"nvme\": supported values: virtio, scsi, sata, ide, usb, fdc", e.getMessage());
  }

  @Test
  void rulesRefuseIncompatibleBuses() {
    assertEquals(1, DeviceRules.checkDisk("d", DiskRole.ROOT, DiskBus.IDE, "pc-q35-7.2").size());
    assertEquals(0, DeviceRules.checkDisk("d", DiskRole.ROOT, DiskBus.IDE, "pc-i440fx-7.2").size());
    assertEquals(1, DeviceRules.checkDisk("d", DiskRole.CDROM, DiskBus.VIRTIO, "pc-q35-7.2").size());
    assertEquals(1, DeviceRules.checkDisk("d", DiskRole.FLOPPY, DiskBus.SATA, "pc-q35-7.2").size());
    assertEquals(1, DeviceRules.checkDisk("d", DiskRole.DATA, DiskBus.FDC, "pc-q35-7.2").size());
    assertEquals(0, DeviceRules.checkDisk("d", DiskRole.CDROM, DiskBus.SATA, "pc-q35-7.2").size());
  }
}
