package io.vguest.guest;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import java.util.List;

/** The WWN a drive is defined with: its own, else the stamped one; none on buses that show none. */
final class DiskWwns {

  private DiskWwns() {}

  /**
   * @param field the disk's path in messages, e.g. {@code spec.disks[1]}
   * @param problems where a missing stamp or a WWN on a bus without one is reported
   */
  static String of(Disk disk, DiskBus bus, GuestIdentity identity, String field, List<String> problems) {
    if (disk.role == DiskRole.FLOPPY) {
      return null;
    }
    if (!DeviceRules.showsWwn(bus)) {
      if (disk.wwn != null) {
        problems.add(field + ".wwn: the disk is on " + bus.value() + ", which shows no WWN (libvirt takes one on scsi "
            + "and ide only); remove wwn or use bus scsi");
      }
      return null; // a stamped WWN of a disk moved to another bus waits unused, kept for a move back
    }
    if (disk.wwn != null) {
      return disk.wwn.toLowerCase(java.util.Locale.ROOT);
    }
    String stamped = identity == null || identity.diskWwns == null ? null : identity.diskWwns.get(disk.name);
    if (stamped == null) {
      problems.add(field + ".wwn: no WWN stamped in spec.identity.diskWwns." + disk.name);
    }
    return stamped == null ? null : stamped.toLowerCase(java.util.Locale.ROOT);
  }
}
