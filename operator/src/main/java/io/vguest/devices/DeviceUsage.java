package io.vguest.devices;

import java.util.List;
import java.util.Objects;

/**
 * What a guest asks of its node's hypervisor: its device choices and, per drive and NIC, the bus or
 * model it ends up with and the spec field that decided it (its own setting, else the
 * {@code spec.devices} property), so that a problem names the field a person has to change.
 *
 * @param devices the guest's device choices and machine type; unset (null) ones are not checked
 */
public record DeviceUsage(DeviceChoices devices, List<Drive> drives, List<Nic> nics) {

  public DeviceUsage {
    Objects.requireNonNull(devices, "devices");
    drives = List.copyOf(drives);
    nics = List.copyOf(nics);
  }

  public String machineType() {
    return devices.machineType();
  }

  /**
   * One drive.
   *
   * @param busField the field its bus comes from, e.g. {@code spec.disks[1].bus} or {@code spec.devices.diskBus}
   * @param serialField the field of its own serial, or null when it has none the user wrote
   * @param serial the serial written in the spec (not a generated one), or null
   * @param readOnly whether the drive is attached read-only (cdroms always are; only disks count here)
   */
  public record Drive(String busField, DiskRole.DeviceKind kind, DiskBus bus, String serialField, String serial,
      boolean readOnly) {
    public Drive {
      Objects.requireNonNull(busField, "busField");
      Objects.requireNonNull(kind, "kind");
    }

    public Drive(String busField, DiskRole.DeviceKind kind, DiskBus bus, String serialField, String serial) {
      this(busField, kind, bus, serialField, serial, false);
    }
  }

  /** One NIC and the field its model comes from ({@code spec.interfaces[0].model} or {@code spec.devices.vifModel}). */
  public record Nic(String modelField, VifModel model) {
    public Nic {
      Objects.requireNonNull(modelField, "modelField");
    }
  }
}
