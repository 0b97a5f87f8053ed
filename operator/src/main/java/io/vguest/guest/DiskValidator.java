package io.vguest.guest;

import io.vguest.api.v1alpha1.BlankSource;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.DiskSource;
import io.vguest.api.v1alpha1.ExternalVolumeSource;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.Rescue;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code spec.disks} and {@code spec.rescue}: names, roles, sources, and each drive's bus,
 * read-only flag and serial length by the rules of {@link DeviceRules}, with the bus a disk will be
 * on when it is known now (its own, else the one {@code spec.devices} sets for its role).
 */
final class DiskValidator {

  static final BigDecimal MIN_BLANK_SIZE = FieldCheck.bytes(1, 2);     // 1Mi
  static final BigDecimal MAX_BLANK_SIZE = FieldCheck.bytes(64, 4);    // 64Ti
  private static final Pattern VOLUME_ID = Pattern.compile(Patterns.VOLUME_ID);
  private static final int BOOT_ORDER_MAX = 64;
  private static final Set<DiskRole> NEEDS_SOURCE = Set.of(DiskRole.ROOT, DiskRole.DATA, DiskRole.EPHEMERAL,
      DiskRole.SWAP);

  private final VolumeValidator volumes;

  DiskValidator(VolumeValidator volumes) {
    this.volumes = volumes;
  }

  void disks(FieldCheck c, VirtualGuestSpec spec) {
    List<Disk> disks = spec.disks;
    if (disks == null || disks.isEmpty()) {
      c.add("spec.disks", "Required value: at least one disk, exactly one with role root");
      return;
    }
    if (disks.size() > Patterns.MAX_DISKS) {
      c.add("spec.disks", "Too many: " + disks.size() + ": must have at most " + Patterns.MAX_DISKS + " items");
    }
    Set<String> names = new HashSet<>();
    int roots = 0;
    for (int i = 0; i < disks.size(); i++) {
      String at = "spec.disks[" + i + "]";
      Disk disk = disks.get(i);
      if (disk == null) {
        c.add(at, "Required value: a disk");
        continue;
      }
      c.required(at + ".name", disk.name);
      c.name(at + ".name", disk.name, FieldCheck.DNS_LABEL, Patterns.DNS_LABEL_MAX, FieldCheck.DNS_LABEL_RULE);
      if (disk.name != null && !names.add(disk.name)) {
        c.add(at + ".name", "Duplicate value: " + FieldCheck.quote(disk.name) + ": disk names must be unique");
      }
      if (disk.role == null) {
        c.add(at + ".role", "Required value: one of root, data, ephemeral, swap, cdrom, floppy");
      } else if (disk.role == DiskRole.ROOT) {
        roots++;
      }
      source(c, at, disk);
      bus(c, at, disk);
      readOnly(c, at, disk, spec.devices);
      serial(c, at, disk, spec.devices);
      if (disk.bootOrder != null && (disk.bootOrder < 1 || disk.bootOrder > BOOT_ORDER_MAX)) {
        c.add(at + ".bootOrder", "Invalid value: " + disk.bootOrder + ": must be between 1 and " + BOOT_ORDER_MAX);
      }
      c.name(at + ".tag", disk.tag, FieldCheck.TAG, Patterns.TAG_MAX, FieldCheck.TAG_RULE);
    }
    if (roots != 1) {
      c.add("spec.disks", "Invalid value: " + roots + " root disks: exactly one disk must have role root");
    }
  }

  private void source(FieldCheck c, String at, Disk disk) {
    DiskSource source = disk.source;
    if (source == null) {
      if (disk.role != null && NEEDS_SOURCE.contains(disk.role)) {
        c.add(at + ".source", "Required value: a " + disk.role + " disk needs one of volume, external or blank");
      }
      return;
    }
    int kinds = (source.volume != null ? 1 : 0) + (source.external != null ? 1 : 0) + (source.blank != null ? 1 : 0);
    if (kinds != 1) {
      c.add(at + ".source", "Invalid value: " + kinds + " kinds set: set exactly one of volume, external or blank");
    }
    if (source.volume != null) {
      volumes.volume(c, at + ".source.volume", source.volume);
    }
    ExternalVolumeSource external = source.external;
    if (external != null) {
      volumes.pool(c, at + ".source.external.pool", external.pool);
      c.required(at + ".source.external.volumeId", external.volumeId);
      c.name(at + ".source.external.volumeId", external.volumeId, VOLUME_ID, Patterns.POOL_OBJECT_NAME_MAX,
          "a volume id of letters, digits, '_', '.', '+' and '-', not starting with '.' (it names a volume inside "
          + "the pool)");
      volumes.owned(c, at + ".source.external.volumeId", external.volumeId);
    }
    BlankSource blank = source.blank;
    if (blank != null) {
      volumes.pool(c, at + ".source.blank.pool", blank.pool);
      if (blank.size == null) {
        c.add(at + ".source.blank.size", "Required value: a quantity from 1Mi to 64Ti, e.g. 10Gi");
      } else {
        c.quantity(at + ".source.blank.size", blank.size, MIN_BLANK_SIZE, MAX_BLANK_SIZE, "1Mi", "64Ti");
      }
      if (disk.role == DiskRole.CDROM || disk.role == DiskRole.FLOPPY) {
        c.add(at + ".source.blank", "Invalid value: blank: a " + disk.role + " cannot be a blank disk; use volume or "
            + "external, or no source for an empty drive");
      }
    }
  }

  /** The rescue disk: a volume in an allowed pool, checked like a disk's volume source. */
  void rescue(FieldCheck c, Rescue rescue, Devices devices) {
    if (rescue == null) {
      return;
    }
    if (rescue.volume == null) {
      c.add("spec.rescue.volume", "Required value: pool and name of the volume to boot from in rescue mode");
      return;
    }
    DiskBus rescueBus = devices == null ? null : devices.rescueBus;
    if (Boolean.TRUE.equals(rescue.readOnly) && DeviceRules.readOnlyUnsupported(DiskRole.DeviceKind.DISK, rescueBus)) {
      c.invalid("spec.rescue.readOnly", "true", "a read-only disk cannot be on " + rescueBus
          + " (from spec.devices.rescueBus; QEMU has no read-only " + rescueBus + " disks); use virtio, "
          + "scsi or usb, or attach it writable");
    }
    volumes.pool(c, "spec.rescue.volume.pool", rescue.volume.pool);
    c.required("spec.rescue.volume.name", rescue.volume.name);
    c.name("spec.rescue.volume.name", rescue.volume.name, FieldCheck.POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX,
        VolumeValidator.VOLUME_NAME_RULE);
    volumes.owned(c, "spec.rescue.volume.name", rescue.volume.name);
  }

  /** The drive's own bus against its role (the machine type's buses are checked with spec.devices). */
  private static void bus(FieldCheck c, String at, Disk disk) {
    if (disk.bus == null || disk.role == null) {
      return;
    }
    DeviceRules.driveProblems(at + ".bus", disk.role.kind(), disk.bus, null).forEach(c::add);
  }

  private static void readOnly(FieldCheck c, String at, Disk disk, Devices devices) {
    if (!Boolean.TRUE.equals(disk.readOnly) || disk.role == null) {
      return;
    }
    DiskBus bus = busKnownNow(disk, devices);
    if (DeviceRules.readOnlyUnsupported(disk.role.kind(), bus)) {
      String from = disk.bus != null ? "" : " (from spec.devices.diskBus)";
      c.invalid(at + ".readOnly", "true", "a read-only disk cannot be on " + bus + from + " (QEMU has no read-only "
          + bus + " disks); use virtio, scsi or usb, or attach it writable");
    }
  }

  private static void serial(FieldCheck c, String at, Disk disk, Devices devices) {
    if (disk.serial == null) {
      return;
    }
    String field = at + ".serial";
    if (c.name(field, disk.serial, FieldCheck.DISK_SERIAL, Patterns.DISK_SERIAL_MAX, FieldCheck.SERIAL_RULE)) {
      DiskBus bus = busKnownNow(disk, devices);
      if (bus != null && disk.serial.length() > DeviceRules.serialLimit(bus)) {
        String from = disk.bus != null ? "on bus " + bus : "on bus " + bus + " (from spec.devices)";
        c.invalid(field, disk.serial, "at most " + DeviceRules.serialLimit(bus) + " characters " + from
            + " (the guest sees no more); scsi and usb allow " + DeviceRules.SERIAL_MAX);
      }
    }
  }

  /** The bus a disk will be on when it is known now: its own, else the one spec.devices sets for its role. */
  private static DiskBus busKnownNow(Disk disk, Devices devices) {
    return DeviceRules.busOf(disk.bus, disk.role, devices == null ? null : devices.toChoices(null));
  }
}
