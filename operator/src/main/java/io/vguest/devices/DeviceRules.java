package io.vguest.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * Compatibility rules between device choices that static enums cannot express. Checked again after
 * resolution, because a profile or default may combine with a guest's own setting into something
 * invalid (an ide bus from a profile on a guest whose machine type is q35).
 */
public final class DeviceRules {

  private DeviceRules() {}

  /**
   * Problems with attaching a drive of the given role on the given bus of the given machine type,
   * each phrased as "field: problem; what to do". Empty when compatible.
   */
  public static List<String> checkDisk(String field, DiskRole role, DiskBus bus, String machineType) {
    List<String> problems = new ArrayList<>();
    if (bus == DiskBus.IDE && DeviceResolver.isQ35(machineType)) {
      problems.add(field + ": ide is not available on q35 machine type " + machineType + "; use sata or scsi");
    }
    if (role == DiskRole.CDROM && bus == DiskBus.VIRTIO) {
      problems.add(field + ": a cdrom cannot be on virtio; use sata, scsi, ide or usb");
    }
    if (role == DiskRole.FLOPPY && bus != DiskBus.FDC) {
      problems.add(field + ": a floppy can only be on fdc, not " + bus.value());
    }
    if (role != DiskRole.FLOPPY && bus == DiskBus.FDC) {
      problems.add(field + ": fdc is for floppies only; use virtio, scsi, sata, ide or usb");
    }
    return problems;
  }

  /** Characters of a disk serial the guest reads on a bus (virtio-blk, sata and ide cut to 20). */
  public static int visibleSerialLength(DiskBus bus) {
    return switch (bus) {
      case SCSI, USB -> 36;
      case VIRTIO, SATA, IDE -> 20;
      case FDC -> 0;
    };
  }
}
