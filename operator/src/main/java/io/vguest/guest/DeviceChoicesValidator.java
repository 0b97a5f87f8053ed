package io.vguest.guest;

import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole.DeviceKind;

/**
 * Checks the buses a guest or profile chooses in {@code spec.devices} for the kind of drive each is
 * for, and that no drive asks for IDE on a machine type without it, by the rules of
 * {@link DeviceRules}. What one node's hypervisor offers is checked later, against the node.
 */
final class DeviceChoicesValidator {

  private DeviceChoicesValidator() {}

  /** Each bus property for its kind of drive; the machine type is judged by {@link #noIdeOnQ35}. */
  static void devices(FieldCheck c, String at, Devices d) {
    drive(c, at + ".cdromBus", DeviceKind.CDROM, d.cdromBus);
    drive(c, at + ".diskBus", DeviceKind.DISK, d.diskBus);
    drive(c, at + ".floppyBus", DeviceKind.FLOPPY, d.floppyBus);
    drive(c, at + ".rescueBus", DeviceKind.DISK, d.rescueBus);
  }

  private static void drive(FieldCheck c, String field, DeviceKind kind, DiskBus bus) {
    DeviceRules.driveProblems(field, kind, bus, null).forEach(c::add);
  }

  /** A guest's disks and device buses against its machine type. */
  static void noIdeOnQ35(FieldCheck c, VirtualGuestSpec spec) {
    if (spec.disks != null) {
      for (int i = 0; i < spec.disks.size(); i++) {
        Disk disk = spec.disks.get(i);
        if (disk != null) {
          noIde(c, "spec.disks[" + i + "].bus", disk.bus, spec.machineType);
        }
      }
    }
    noIdeOnQ35(c, "spec.devices", spec.machineType, spec.devices);
  }

  /** The device buses of a guest or profile against its machine type (a floppy is never on ide). */
  static void noIdeOnQ35(FieldCheck c, String at, String machineType, Devices d) {
    if (d == null) {
      return;
    }
    noIde(c, at + ".diskBus", d.diskBus, machineType);
    noIde(c, at + ".cdromBus", d.cdromBus, machineType);
    noIde(c, at + ".rescueBus", d.rescueBus, machineType);
  }

  private static void noIde(FieldCheck c, String field, DiskBus bus, String machineType) {
    if (DeviceRules.lacksIde(bus, machineType)) {
      c.add(DeviceRules.noIdeProblem(field, machineType));
    }
  }
}
