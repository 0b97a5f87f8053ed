package io.vguest.domain;

import io.vguest.devices.DeviceRules;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;

/** Names and identifiers a disk gets on its bus, as libvirt and the guest's udev spell them. */
public final class DiskTargets {

  private DiskTargets() {}

  /** Target device prefix: buses sharing a prefix share one letter sequence. */
  public static String prefix(DiskBus bus) {
    return switch (bus) {
      case VIRTIO -> "vd";
      case SCSI, SATA, USB -> "sd";
      case IDE -> "hd";
      case FDC -> "fd";
    };
  }

  /** vda, vdb, ..., vdz, vdaa: libvirt's own naming. */
  public static String targetName(DiskBus bus, int index) {
    StringBuilder suffix = new StringBuilder();
    int i = index;
    do {
      suffix.insert(0, (char) ('a' + i % 26));
      i = i / 26 - 1;
    } while (i >= 0);
    return prefix(bus) + suffix;
  }

  /** The serial the guest reads: the bus silently cuts longer ones (virtio-blk, sata, ide keep 20). */
  public static String guestSerial(String serial, DiskBus bus) {
    if (serial == null || bus == DiskBus.FDC) {
      return null;
    }
    int visible = DeviceRules.visibleSerialLength(bus);
    return serial.length() <= visible ? serial : serial.substring(0, visible);
  }

  /** The /dev/disk/by-id path a Linux guest's udev creates, or null when the bus gives none we can predict. */
  public static String byIdPath(String serial, DiskBus bus, DiskRole role) {
    String seen = guestSerial(serial, bus);
    if (seen == null) {
      return null;
    }
    boolean cdrom = role == DiskRole.CDROM;
    return switch (bus) {
      case VIRTIO -> "/dev/disk/by-id/virtio-" + seen;
      case SCSI -> "/dev/disk/by-id/scsi-0QEMU_QEMU_" + (cdrom ? "CD-ROM_" : "HARDDISK_") + seen;
      case SATA, IDE -> "/dev/disk/by-id/ata-QEMU_" + (cdrom ? "DVD-ROM_" : "HARDDISK_") + seen;
      case USB, FDC -> null;
    };
  }
}
