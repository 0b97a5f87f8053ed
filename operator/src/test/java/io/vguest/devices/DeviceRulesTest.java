package io.vguest.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.devices.DiskRole.DeviceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceRulesTest {

  static final DeviceChoices LINUX_Q35 = OsFamilyDefaults.LINUX.withMachineType("pc-q35-7.2");

  static DeviceUsage usage(DeviceChoices devices, List<DeviceUsage.Drive> drives, List<DeviceUsage.Nic> nics) {
    return new DeviceUsage(devices, drives, nics);
  }

  static DeviceUsage.Drive disk(String busField, DiskBus bus) {
    return new DeviceUsage.Drive(busField, DeviceKind.DISK, bus, null, null);
  }

  @Test
  void linuxAndWindowsDefaultsPass() {
    assertEquals(List.of(), DeviceRules.check(usage(LINUX_Q35, List.of(disk("spec.devices.diskBus", DiskBus.VIRTIO)),
        List.of(new DeviceUsage.Nic("spec.devices.vifModel", VifModel.VIRTIO)))));
    assertEquals(List.of(), DeviceRules.check(usage(OsFamilyDefaults.WINDOWS.withMachineType("pc-q35-7.2"),
        List.of(), List.of())));
    assertEquals(List.of(), DeviceRules.check(usage(OsFamilyDefaults.OTHER.withMachineType("pc-i440fx-7.2"),
        List.of(), List.of())));
  }

  @Test
  void ideOnQ35IsNamedOncePerField() {
    DeviceChoices ide = OsFamilyDefaults.OTHER.withMachineType("pc-q35-7.2");
    List<DeviceProblem> problems = DeviceRules.check(usage(ide,
        List.of(disk("spec.devices.diskBus", DiskBus.IDE), disk("spec.devices.diskBus", DiskBus.IDE),
            disk("spec.disks[2].bus", DiskBus.IDE)),
        List.of()));
    String q35 = "Invalid value: \"ide\": machine type \"pc-q35-7.2\" (q35) has no IDE controller; use sata or scsi";
    assertEquals(List.of(
        new DeviceProblem("spec.devices.diskBus", "ide", q35),
        new DeviceProblem("spec.devices.cdromBus", "ide", q35),
        new DeviceProblem("spec.devices.rescueBus", "ide", q35),
        new DeviceProblem("spec.disks[2].bus", "ide", q35)), problems);
  }

  @Test
  void drivesMustSuitTheirKind() {
    List<DeviceProblem> problems = DeviceRules.check(usage(DeviceChoices.NONE.withMachineType("pc-q35-7.2"),
        List.of(new DeviceUsage.Drive("spec.disks[1].bus", DeviceKind.CDROM, DiskBus.VIRTIO, null, null),
            new DeviceUsage.Drive("spec.disks[2].bus", DeviceKind.FLOPPY, DiskBus.SATA, null, null),
            new DeviceUsage.Drive("spec.disks[3].bus", DeviceKind.DISK, DiskBus.FDC, null, null)),
        List.of()));
    assertEquals(List.of("spec.disks[1].bus: Invalid value: \"virtio\": a cdrom cannot be on virtio; use sata, scsi, "
            + "ide or usb",
        "spec.disks[2].bus: Invalid value: \"sata\": a floppy can only be on fdc",
        "spec.disks[3].bus: Invalid value: \"fdc\": fdc is for floppies only; use virtio, scsi, sata, ide or usb"),
        problems.stream().map(DeviceProblem::toString).toList());
  }

  @Test
  void serialLongerThanItsBusShowsIsRefused() {
    String serial = "0123456789abcdef01234567";
    List<DeviceProblem> problems = DeviceRules.check(usage(LINUX_Q35,
        List.of(new DeviceUsage.Drive("spec.devices.diskBus", DeviceKind.DISK, DiskBus.VIRTIO, "spec.disks[0].serial",
            serial),
            new DeviceUsage.Drive("spec.disks[1].bus", DeviceKind.DISK, DiskBus.SCSI, "spec.disks[1].serial", serial)),
        List.of()));
    assertEquals(List.of(new DeviceProblem("spec.disks[0].serial", serial, "Invalid value: \"" + serial
        + "\": 24 characters, a virtio drive shows 20 (from spec.devices.diskBus); shorten it or use scsi or usb")),
        problems);
  }

  @Test
  void modelsTheX86QemuDriverLacksAreRefused() {
    DeviceChoices devices = new DeviceChoices("pc-q35-7.2", null, null, null, null, null, null, null,
        ScsiModel.BUSLOGIC, null, VifModel.SPAPR_VLAN);
    assertEquals(List.of("spec.devices.scsiModel", "spec.devices.vifModel", "spec.interfaces[1].model"),
        DeviceRules.check(usage(devices, List.of(),
            List.of(new DeviceUsage.Nic("spec.devices.vifModel", VifModel.SPAPR_VLAN),
                new DeviceUsage.Nic("spec.interfaces[1].model", VifModel.SPAPR_VLAN))))
            .stream().map(DeviceProblem::field).toList());
    DeviceChoices ibm = new DeviceChoices("pc-q35-7.2", null, null, null, null, null, null, null, ScsiModel.IBMVSCSI, null, null);
    assertEquals(List.of("spec.devices.scsiModel: Invalid value: \"ibmvscsi\": exists only on ppc64 pseries machines, "
        + "not on x86_64 machine type \"pc-q35-7.2\"; use virtio-scsi, lsilogic, lsisas1068, lsisas1078 or vmpvscsi"),
        DeviceRules.check(usage(ibm, List.of(), List.of())).stream().map(DeviceProblem::toString).toList());
  }

  @Test
  void readOnlyDisksCannotBeOnSataOrIde() {
    List<DeviceProblem> problems = DeviceRules.check(usage(LINUX_Q35, List.of(
        new DeviceUsage.Drive("spec.disks[1].bus", DeviceKind.DISK, DiskBus.SATA, null, null, true),
        new DeviceUsage.Drive("spec.disks[2].bus", DeviceKind.DISK, DiskBus.SCSI, null, null, true),
        new DeviceUsage.Drive("spec.disks[3].bus", DeviceKind.CDROM, DiskBus.SATA, null, null, true)), List.of()));
    assertEquals(List.of("spec.disks[1].bus: Invalid value: \"sata\": a read-only disk cannot be on sata (QEMU has no "
        + "read-only sata disks); use virtio, scsi or usb, or attach it writable"),
        problems.stream().map(DeviceProblem::toString).toList());
  }

  @Test
  void unsetChoicesAreNotChecked() {
    assertEquals(List.of(), DeviceRules.check(usage(DeviceChoices.NONE,
        List.of(new DeviceUsage.Drive("spec.devices.diskBus", DeviceKind.DISK, null, null, null)), List.of())));
  }

  @Test
  void propertiesAcceptTheirOwnValues() {
    assertEquals(List.of("scsi", "sata", "ide", "usb"), DeviceProperty.CDROM_BUS.allowedValues());
    assertEquals(List.of("fdc"), DeviceProperty.FLOPPY_BUS.allowedValues());
    assertEquals(List.of("virtio", "scsi", "sata", "ide", "usb"), DeviceProperty.RESCUE_BUS.allowedValues());
    assertEquals(List.of(), DeviceProperty.MACHINE_TYPE.allowedValues());
    assertEquals(DeviceChoices.PROPERTIES, DeviceProperty.names());
    assertEquals("/spec/devices/vifModel", DeviceProperty.VIF_MODEL.pointer());
    assertEquals("spec.machineType", DeviceProperty.MACHINE_TYPE.field());
  }

  @Test
  void serialLimitIs36OnScsiAndUsbAnd20Elsewhere() {
    for (DiskBus bus : DiskBus.values()) {
      int expected = bus == DiskBus.SCSI || bus == DiskBus.USB ? 36 : 20;
      assertEquals(expected, DeviceRules.serialLimit(bus), bus.value());
      assertEquals(bus == DiskBus.FDC ? 0 : expected, DeviceRules.visibleSerialLength(bus), bus.value());
    }
  }

  @Test
  void aDriveTakesItsOwnBusElseItsRolesDefault() {
    DeviceChoices devices = new DeviceChoices(null, DiskBus.SATA, DiskBus.SCSI, DiskBus.FDC, DiskBus.USB, null, null,
        null, null, null, null);
    assertEquals(DiskBus.SATA, DeviceRules.busOf(null, DiskRole.ROOT, devices));
    assertEquals(DiskBus.SATA, DeviceRules.busOf(null, DiskRole.SWAP, devices));
    assertEquals(DiskBus.SCSI, DeviceRules.busOf(null, DiskRole.CDROM, devices));
    assertEquals(DiskBus.FDC, DeviceRules.busOf(null, DiskRole.FLOPPY, devices));
    assertEquals(DiskBus.VIRTIO, DeviceRules.busOf(DiskBus.VIRTIO, DiskRole.DATA, devices));
    assertEquals(null, DeviceRules.busOf(null, DiskRole.DATA, null));
    assertEquals(DiskBus.IDE, DeviceRules.busOf(DiskBus.IDE, null, null));
    for (DiskRole role : DiskRole.values()) {
      assertEquals(devices.asMap().get(role.defaultBusProperty()), devices.busFor(role).value(), role.value());
    }
  }

  @Test
  void onlyQ35LacksIde() {
    assertTrue(DeviceRules.lacksIde(DiskBus.IDE, "pc-q35-7.2"));
    assertTrue(DeviceRules.lacksIde(DiskBus.IDE, "q35"));
    assertFalse(DeviceRules.lacksIde(DiskBus.IDE, "pc-i440fx-7.2"));
    assertFalse(DeviceRules.lacksIde(DiskBus.IDE, null));
    assertFalse(DeviceRules.lacksIde(DiskBus.SATA, "q35"));
  }
}
