package io.vguest.domain;

import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import java.util.Objects;

/**
 * One drive as libvirt attaches it.
 *
 * @param source the pool volume holding its data, or null for an empty cdrom or floppy drive
 * @param serial the serial handed to the hypervisor, or null for none
 * @param bootOrder position in the boot order, or null when the drive is not bootable
 * @param format the volume's format (raw, qcow2) when vguest knows it, else null so libvirt uses the pool's
 * @param wwn the world wide name handed to the hypervisor (scsi and ide drives), or null for none
 */
public record DiskDefinition(
    String name,
    DiskRole role,
    DiskBus bus,
    VolumeRef source,
    String serial,
    Integer bootOrder,
    boolean readOnly,
    String format,
    String wwn) {

  public DiskDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(bus, "bus");
  }

  /** A drive without a WWN. */
  public DiskDefinition(String name, DiskRole role, DiskBus bus, VolumeRef source, String serial, Integer bootOrder,
      boolean readOnly, String format) {
    this(name, role, bus, source, serial, bootOrder, readOnly, format, null);
  }

  /** The same drive at another position in the boot order. */
  public DiskDefinition withBootOrder(Integer order) {
    return new DiskDefinition(name, role, bus, source, serial, order, readOnly, format, wwn);
  }

  /** A volume in a libvirt storage pool; never a host path. */
  public record VolumeRef(String pool, String volume) {
    public VolumeRef {
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(volume, "volume");
    }

    @Override
    public String toString() {
      return pool + "/" + volume;
    }
  }
}
