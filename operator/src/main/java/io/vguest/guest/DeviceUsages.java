package io.vguest.guest;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DeviceUsage;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import java.util.ArrayList;
import java.util.List;

/** What a VirtualGuest's spec asks of the hypervisor, with the field behind each bus and model. */
public final class DeviceUsages {

  private DeviceUsages() {}

  /**
   * @param machineType the machine type to check with (the node's versioned type an alias stands
   *     for, when known), or null to use the spec's as written
   */
  public static DeviceUsage of(VirtualGuestSpec spec, String machineType) {
    String machine = machineType != null ? machineType : spec.machineType;
    DeviceChoices devices = spec.devices == null ? DeviceChoices.NONE.withMachineType(machine)
        : spec.devices.toChoices(machine);
    List<DeviceUsage.Drive> drives = new ArrayList<>();
    List<Disk> disks = spec.disks == null ? List.of() : spec.disks;
    for (int i = 0; i < disks.size(); i++) {
      Disk disk = disks.get(i);
      if (disk == null || disk.role == null) {
        continue;
      }
      String at = "spec.disks[" + i + "]";
      String busField = disk.bus != null ? at + ".bus" : "spec.devices." + disk.role.defaultBusProperty();
      DiskBus bus = DeviceRules.busOf(disk.bus, disk.role, devices);
      drives.add(new DeviceUsage.Drive(busField, disk.role.kind(), bus, disk.serial == null ? null : at + ".serial",
          disk.serial, Boolean.TRUE.equals(disk.readOnly)));
    }
    if (spec.rescue != null) {
      drives.add(new DeviceUsage.Drive("spec.devices.rescueBus", DiskRole.DeviceKind.DISK, devices.rescueBus(), null,
          null, Boolean.TRUE.equals(spec.rescue.readOnly)));
    }
    List<DeviceUsage.Nic> nics = new ArrayList<>();
    List<NetworkInterface> interfaces = spec.interfaces == null ? List.of() : spec.interfaces;
    for (int i = 0; i < interfaces.size(); i++) {
      NetworkInterface nic = interfaces.get(i);
      if (nic == null) {
        continue;
      }
      nics.add(nic.model != null ? new DeviceUsage.Nic("spec.interfaces[" + i + "].model", nic.model)
          : new DeviceUsage.Nic("spec.devices.vifModel", devices.vifModel()));
    }
    return new DeviceUsage(devices, drives, nics);
  }
}
