package io.vguest.guest;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.vguest.api.v1alpha1.BlankSource;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.DiskSource;
import io.vguest.api.v1alpha1.ExternalVolumeSource;
import io.vguest.api.v1alpha1.Firmware;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.GuestDeviceProfileSpec;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.KernelBoot;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.Rescue;
import io.vguest.api.v1alpha1.Resources;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a guest or profile the way the API server checks it with the CRD's schema and CEL rules,
 * plus what those cannot express: quantity ranges, control characters in any string, bus-specific
 * serial lengths when the bus comes from {@code spec.devices}, and the pools this node allows.
 * Every string that reaches the domain XML is checked here, so that the XML writer never has to
 * refuse one: control characters (C0, DEL and C1), U+FFFE, U+FFFF and unpaired surrogates.
 *
 * <p>Pure: no I/O. Every message names the field, the bad value (quoted, shortened when long) and
 * what is allowed.
 */
public final class GuestValidator {

  static final BigDecimal MIN_MEMORY = bytes(16, 2);        // 16Mi
  static final BigDecimal MAX_MEMORY = bytes(4, 4);         // 4Ti
  static final BigDecimal MIN_BLANK_SIZE = bytes(1, 2);     // 1Mi
  static final BigDecimal MAX_BLANK_SIZE = bytes(64, 4);    // 64Ti
  static final int SHOWN_VALUE_MAX = 64;

  private static final Pattern DNS_LABEL = Pattern.compile(Patterns.DNS_LABEL);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Patterns.DNS_SUBDOMAIN);
  private static final Pattern POOL_OBJECT_NAME = Pattern.compile(Patterns.POOL_OBJECT_NAME);
  private static final Pattern DISK_SERIAL = Pattern.compile(Patterns.DISK_SERIAL);
  private static final Pattern VOLUME_ID = Pattern.compile(Patterns.VOLUME_ID);
  private static final Pattern UUID = Pattern.compile(Patterns.UUID);
  private static final Pattern MACHINE_TYPE = Pattern.compile(Patterns.MACHINE_TYPE);
  private static final Pattern MAC = Pattern.compile(Patterns.MAC);
  private static final Pattern TAG = Pattern.compile(Patterns.TAG);
  private static final Pattern BRIDGE = Pattern.compile("^[A-Za-z0-9_.-]+$");
  private static final Pattern STAMPED_FOR = Pattern.compile("^[a-z0-9.-]+/[a-z0-9.-]+$");
  private static final int BRIDGE_MAX = 15;
  private static final int STAMPED_FOR_MAX = 320;
  private static final int BOOT_ORDER_MAX = 64;
  /** C0 and C1 controls and DEL; XML cannot carry them and terminals misprint them. */
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F-\\x9F]");
  private static final Set<DiskRole> NEEDS_SOURCE = Set.of(DiskRole.ROOT, DiskRole.DATA, DiskRole.EPHEMERAL, DiskRole.SWAP);

  private final PoolGrants pools;

  /**
   * @param allowedPools the libvirt pools disks of every namespace may use on this node; {@code null}
   *     to leave pools unchecked
   */
  public GuestValidator(Set<String> allowedPools) {
    this.pools = allowedPools == null ? null : PoolGrants.everyNamespace(allowedPools);
  }

  private GuestValidator(PoolGrants pools, String why) {
    this.pools = Objects.requireNonNull(pools, why);
  }

  /** A validator that checks pools per namespace and volumes that belong to another namespace. */
  public static GuestValidator forPools(PoolGrants pools) {
    return new GuestValidator(pools, "pools");
  }

  public List<Violation> validate(VirtualGuest guest) {
    Check c = new Check();
    if (guest == null) {
      c.add("", "Required value: no VirtualGuest");
      return c.violations;
    }
    metadata(c, guest.getMetadata());
    String namespace = guest.getMetadata() == null ? null : guest.getMetadata().getNamespace();
    c.namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
    VirtualGuestSpec spec = guest.getSpec();
    if (spec == null) {
      c.add("spec", "Required value");
      return c.violations;
    }
    c.required("spec.nodeName", spec.nodeName);
    c.name("spec.nodeName", spec.nodeName, DNS_SUBDOMAIN, Patterns.DNS_SUBDOMAIN_MAX, "a DNS subdomain (a node name)");
    if (spec.profile != null && spec.profile.contains("/")) {
      c.invalid("spec.profile", spec.profile, "a plain GuestDeviceProfile name from the guest's own namespace, "
          + "without a namespace");
    } else {
      c.name("spec.profile", spec.profile, DNS_SUBDOMAIN, Patterns.DNS_SUBDOMAIN_MAX,
          "the name of a GuestDeviceProfile in the guest's namespace");
    }
    if (spec.displayName != null) {
      c.text("spec.displayName", spec.displayName, true);
      c.maxLength("spec.displayName", spec.displayName, Patterns.DISPLAY_NAME_MAX);
    }
    resources(c, spec.resources);
    c.name("spec.machineType", spec.machineType, MACHINE_TYPE, Patterns.MACHINE_TYPE_MAX,
        "a QEMU machine type or alias such as q35, pc or pc-q35-7.2");
    firmware(c, spec.firmware);
    kernelBoot(c, spec.kernelBoot);
    disks(c, spec);
    interfaces(c, spec.interfaces);
    uniqueIdentities(c, spec);
    if (spec.devices != null) {
      devices(c, "spec.devices", spec.devices);
    }
    noIdeOnQ35(c, spec);
    FirmwareStamp.own(spec).problems(spec.machineType).forEach(p -> c.add(p.field(), p.message()));
    rescue(c, spec.rescue, spec.devices);
    identity(c, spec.identity);
    c.violations.addAll(IdentityFieldsValidator.validate(spec));
    return c.violations;
  }

  public List<Violation> validate(GuestDeviceProfile profile) {
    Check c = new Check();
    if (profile == null) {
      c.add("", "Required value: no GuestDeviceProfile");
      return c.violations;
    }
    metadata(c, profile.getMetadata());
    GuestDeviceProfileSpec spec = profile.getSpec();
    if (spec == null) {
      return c.violations;
    }
    devices(c, "spec", spec);
    c.name("spec.machineType", spec.machineType, MACHINE_TYPE, Patterns.MACHINE_TYPE_MAX,
        "a QEMU machine type or alias such as q35, pc or pc-q35-7.2");
    noIdeOnQ35(c, "spec", spec.machineType, spec);
    spec.toFirmwareChoices().problems(spec.machineType)
        .forEach(p -> c.add(p.field().replace("spec.firmware.", "spec."), p.message()));
    return c.violations;
  }

  // ---- parts ----

  private static void metadata(Check c, ObjectMeta meta) {
    if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
      c.add("metadata.name", "Required value");
      return;
    }
    c.name("metadata.name", meta.getName(), DNS_SUBDOMAIN, Patterns.DNS_SUBDOMAIN_MAX, "a DNS subdomain");
    if (meta.getNamespace() != null) {
      c.name("metadata.namespace", meta.getNamespace(), DNS_LABEL, Patterns.DNS_LABEL_MAX, "a DNS label");
    }
    List<OwnerReference> owners = meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences();
    for (int i = 0; i < owners.size(); i++) {
      // The controller's kind, name and uid are recorded in the domain's metadata; the API server
      // only checks that they are not empty.
      OwnerReference owner = owners.get(i);
      String at = "metadata.ownerReferences[" + i + "]";
      if (owner == null) {
        continue;
      }
      for (String[] part : new String[][] {{"kind", owner.getKind()}, {"name", owner.getName()},
          {"uid", owner.getUid()}}) {
        if (part[1] != null) {
          c.text(at + "." + part[0], part[1], false);
          c.maxLength(at + "." + part[0], part[1], Patterns.DNS_SUBDOMAIN_MAX);
        }
      }
    }
  }

  private static void resources(Check c, Resources resources) {
    if (resources == null) {
      c.add("spec.resources", "Required value: cpus and memory");
      return;
    }
    if (resources.cpus == null) {
      c.add("spec.resources.cpus", "Required value: 1 to " + Resources.MAX_CPUS);
    } else if (resources.cpus < 1 || resources.cpus > Resources.MAX_CPUS) {
      c.add("spec.resources.cpus", "Invalid value: " + resources.cpus + ": must be between 1 and " + Resources.MAX_CPUS);
    }
    if (resources.memory == null) {
      c.add("spec.resources.memory", "Required value: a quantity from 16Mi to 4Ti, e.g. 2Gi");
    } else {
      c.quantity("spec.resources.memory", resources.memory, MIN_MEMORY, MAX_MEMORY, "16Mi", "4Ti");
    }
  }

  private static void firmware(Check c, Firmware firmware) {
    if (firmware == null) {
      return;
    }
    if (firmware.serial != null) {
      if (firmware.serial.isEmpty()) {
        c.invalid("spec.firmware.serial", firmware.serial, "must not be empty: printable text without control "
            + "characters; remove the field for a generated serial");
      }
      c.text("spec.firmware.serial", firmware.serial, false);
      c.maxLength("spec.firmware.serial", firmware.serial, Patterns.SMBIOS_TEXT_MAX);
    }
    c.name("spec.firmware.uuid", firmware.uuid, UUID, 36, "a UUID such as 6f1c7b9e-3f4a-4c1e-9a53-2b8f0d6e7a10");
  }

  private void disks(Check c, VirtualGuestSpec spec) {
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
      c.name(at + ".name", disk.name, DNS_LABEL, Patterns.DNS_LABEL_MAX, "a DNS label (lower-case letters, digits, '-')");
      if (disk.name != null && !names.add(disk.name)) {
        c.add(at + ".name", "Duplicate value: " + quote(disk.name) + ": disk names must be unique");
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
      c.name(at + ".tag", disk.tag, TAG, Patterns.TAG_MAX, "letters, digits, '_', '.' and '-'");
    }
    if (roots != 1) {
      c.add("spec.disks", "Invalid value: " + roots + " root disks: exactly one disk must have role root");
    }
  }

  private void source(Check c, String at, Disk disk) {
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
      volume(c, at + ".source.volume", source.volume);
    }
    ExternalVolumeSource external = source.external;
    if (external != null) {
      pool(c, at + ".source.external.pool", external.pool);
      c.required(at + ".source.external.volumeId", external.volumeId);
      c.name(at + ".source.external.volumeId", external.volumeId, VOLUME_ID, Patterns.POOL_OBJECT_NAME_MAX,
          "a volume id of letters, digits, '_', '.', '+' and '-', not starting with '.' (it names a volume inside "
          + "the pool)");
      owned(c, at + ".source.external.volumeId", external.volumeId);
    }
    BlankSource blank = source.blank;
    if (blank != null) {
      pool(c, at + ".source.blank.pool", blank.pool);
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
  private void rescue(Check c, Rescue rescue, Devices devices) {
    if (rescue == null) {
      return;
    }
    if (rescue.volume == null) {
      c.add("spec.rescue.volume", "Required value: pool and name of the volume to boot from in rescue mode");
      return;
    }
    if (Boolean.TRUE.equals(rescue.readOnly) && devices != null
        && (devices.rescueBus == DiskBus.SATA || devices.rescueBus == DiskBus.IDE)) {
      c.invalid("spec.rescue.readOnly", "true", "a read-only disk cannot be on " + devices.rescueBus
          + " (from spec.devices.rescueBus; QEMU has no read-only " + devices.rescueBus + " disks); use virtio, "
          + "scsi or usb, or attach it writable");
    }
    pool(c, "spec.rescue.volume.pool", rescue.volume.pool);
    c.required("spec.rescue.volume.name", rescue.volume.name);
    c.name("spec.rescue.volume.name", rescue.volume.name, POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX,
        "a volume name inside the pool: letters, digits, '_', '.', '+', '-', no '/' and no leading '.'");
    owned(c, "spec.rescue.volume.name", rescue.volume.name);
  }

  private void kernelBoot(Check c, KernelBoot boot) {
    if (boot == null) {
      return;
    }
    if (boot.kernel == null) {
      c.add("spec.kernelBoot.kernel", "Required value: the volume holding the kernel, as {pool, name}");
    } else {
      volume(c, "spec.kernelBoot.kernel", boot.kernel);
    }
    if (boot.initrd != null) {
      volume(c, "spec.kernelBoot.initrd", boot.initrd);
    }
    if (boot.cmdline != null) {
      c.text("spec.kernelBoot.cmdline", boot.cmdline, false);
      c.maxLength("spec.kernelBoot.cmdline", boot.cmdline, Patterns.KERNEL_CMDLINE_MAX);
    }
  }

  /** A pool volume: an allowed pool and a name that stays inside it. */
  private void volume(Check c, String at, VolumeSource volume) {
    pool(c, at + ".pool", volume.pool);
    c.required(at + ".name", volume.name);
    c.name(at + ".name", volume.name, POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX,
        "a volume name inside the pool: letters, digits, '_', '.', '+', '-', no '/' and no leading '.'");
    owned(c, at + ".name", volume.name);
  }

  /** A volume vguest created for a guest of another namespace is never attached, whatever the pool allows. */
  private void owned(Check c, String field, String volume) {
    if (pools != null) {
      PoolGrants.ownerRefusal(c.namespace, volume).ifPresent(why -> c.add(field, "Forbidden: " + why));
    }
  }

  private void pool(Check c, String field, String pool) {
    c.required(field, pool);
    boolean wellFormed = c.name(field, pool, POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX,
        "a pool name: letters, digits, '_', '.', '+', '-', no '/' and no leading '.'");
    if (pool != null && wellFormed && pools != null) {
      pools.refusal(c.namespace, pool).ifPresent(why -> c.invalid(field, pool, why));
    }
  }

  private static void bus(Check c, String at, Disk disk) {
    if (disk.bus == null || disk.role == null) {
      return;
    }
    if (disk.role == DiskRole.CDROM && disk.bus == DiskBus.VIRTIO) {
      c.invalid(at + ".bus", "virtio", "a cdrom cannot be on virtio; use sata, scsi, ide or usb");
    } else if (disk.role == DiskRole.FLOPPY && disk.bus != DiskBus.FDC) {
      c.invalid(at + ".bus", disk.bus.value(), "a floppy can only be on fdc");
    } else if (disk.role != DiskRole.FLOPPY && disk.bus == DiskBus.FDC) {
      c.invalid(at + ".bus", "fdc", "fdc is for floppies only; use virtio, scsi, sata, ide or usb");
    }
  }

  /** QEMU has no read-only sata or ide disks (cdroms are read-only on every bus). */
  private static void readOnly(Check c, String at, Disk disk, Devices devices) {
    if (!Boolean.TRUE.equals(disk.readOnly) || disk.role == null || disk.role.kind() != DiskRole.DeviceKind.DISK) {
      return;
    }
    DiskBus bus = effectiveBus(disk, devices);
    if (bus == DiskBus.SATA || bus == DiskBus.IDE) {
      String from = disk.bus != null ? "" : " (from spec.devices.diskBus)";
      c.invalid(at + ".readOnly", "true", "a read-only disk cannot be on " + bus + from + " (QEMU has no read-only "
          + bus + " disks); use virtio, scsi or usb, or attach it writable");
    }
  }

  private static void serial(Check c, String at, Disk disk, Devices devices) {
    if (disk.serial == null) {
      return;
    }
    String field = at + ".serial";
    if (c.name(field, disk.serial, DISK_SERIAL, Patterns.DISK_SERIAL_MAX, "letters, digits, '_', '.', '+' and '-'")) {
      DiskBus bus = effectiveBus(disk, devices);
      if (bus != null && disk.serial.length() > serialLimit(bus)) {
        String from = disk.bus != null ? "on bus " + bus : "on bus " + bus + " (from spec.devices)";
        c.invalid(field, disk.serial, "at most " + serialLimit(bus) + " characters " + from
            + " (the guest sees no more); scsi and usb allow " + Patterns.DISK_SERIAL_MAX);
      }
    }
  }

  /** The bus a disk will be on when it is known now: its own, else the one spec.devices sets for its role. */
  static DiskBus effectiveBus(Disk disk, Devices devices) {
    if (disk.bus != null) {
      return disk.bus;
    }
    if (devices == null || disk.role == null) {
      return null;
    }
    return switch (disk.role) {
      case CDROM -> devices.cdromBus;
      case FLOPPY -> devices.floppyBus;
      default -> devices.diskBus;
    };
  }

  /** How many characters of a disk serial the guest sees on a bus. */
  public static int serialLimit(DiskBus bus) {
    return bus == DiskBus.SCSI || bus == DiskBus.USB ? Patterns.DISK_SERIAL_MAX : Patterns.DISK_SERIAL_SHORT_MAX;
  }

  private static void interfaces(Check c, List<NetworkInterface> interfaces) {
    if (interfaces == null) {
      return;
    }
    if (interfaces.size() > Patterns.MAX_INTERFACES) {
      c.add("spec.interfaces", "Too many: " + interfaces.size() + ": must have at most " + Patterns.MAX_INTERFACES
          + " items");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < interfaces.size(); i++) {
      String at = "spec.interfaces[" + i + "]";
      NetworkInterface nic = interfaces.get(i);
      if (nic == null) {
        c.add(at, "Required value: an interface");
        continue;
      }
      c.required(at + ".name", nic.name);
      c.name(at + ".name", nic.name, DNS_LABEL, Patterns.DNS_LABEL_MAX, "a DNS label (lower-case letters, digits, '-')");
      if (nic.name != null && !names.add(nic.name)) {
        c.add(at + ".name", "Duplicate value: " + quote(nic.name) + ": interface names must be unique");
      }
      int kinds = (nic.network != null ? 1 : 0) + (nic.bridge != null ? 1 : 0)
          + (Boolean.TRUE.equals(nic.userMode) ? 1 : 0);
      if (kinds != 1) {
        c.add(at, "Invalid value: " + kinds + " kinds set: set exactly one of network, bridge or userMode");
      }
      c.name(at + ".network", nic.network, POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX,
          "a libvirt network name: letters, digits, '_', '.', '+', '-'");
      c.name(at + ".bridge", nic.bridge, BRIDGE, BRIDGE_MAX, "a host bridge name: letters, digits, '_', '.', '-'");
      c.name(at + ".macAddress", nic.macAddress, MAC, Patterns.MAC_MAX,
          "a unicast MAC address such as 52:54:00:12:34:56 (the first octet even)");
      c.name(at + ".tag", nic.tag, TAG, Patterns.TAG_MAX, "letters, digits, '_', '.' and '-'");
    }
  }

  /**
   * Boot orders, disk serials and MAC addresses must each be unique within the guest: libvirt
   * refuses a boot order used twice, and the guest tells its disks and NICs apart by serial and
   * MAC. Serials and MACs are compared as the guest gets them: the disk's or interface's own value,
   * else the one stamped for it in spec.identity.
   */
  private static void uniqueIdentities(Check c, VirtualGuestSpec spec) {
    Map<String, String> stampedSerials = spec.identity == null || spec.identity.diskSerials == null ? Map.of()
        : spec.identity.diskSerials;
    Map<Integer, Integer> bootOrders = new java.util.HashMap<>();
    Map<String, String> serials = new java.util.HashMap<>();
    List<Disk> disks = spec.disks == null ? List.of() : spec.disks;
    for (int i = 0; i < disks.size(); i++) {
      Disk disk = disks.get(i);
      if (disk == null) {
        continue;
      }
      String at = "spec.disks[" + i + "]";
      if (disk.bootOrder != null) {
        Integer first = bootOrders.putIfAbsent(disk.bootOrder, i);
        if (first != null) {
          c.add(at + ".bootOrder", "Duplicate value: " + disk.bootOrder + ": spec.disks[" + first + "] boots at "
              + disk.bootOrder + " already; boot orders must be unique");
        }
      }
      String serial = disk.serial != null ? disk.serial : disk.name == null ? null : stampedSerials.get(disk.name);
      c.unique(serials, serial, serial, disk.serial != null ? at + ".serial"
          : "spec.identity.diskSerials[" + disk.name + "]", "serial", "disk serials must be unique (the guest tells its "
          + "disks apart by them)");
    }
    Map<String, String> stampedMacs = spec.identity == null || spec.identity.macAddresses == null ? Map.of()
        : spec.identity.macAddresses;
    Map<String, String> macs = new java.util.HashMap<>();
    List<NetworkInterface> nics = spec.interfaces == null ? List.of() : spec.interfaces;
    for (int i = 0; i < nics.size(); i++) {
      NetworkInterface nic = nics.get(i);
      if (nic == null) {
        continue;
      }
      String mac = nic.macAddress != null ? nic.macAddress : nic.name == null ? null : stampedMacs.get(nic.name);
      c.unique(macs, mac == null ? null : mac.toLowerCase(java.util.Locale.ROOT), mac, nic.macAddress != null
          ? "spec.interfaces[" + i + "].macAddress" : "spec.identity.macAddresses[" + nic.name + "]", "MAC address",
          "MAC addresses must be unique");
    }
  }

  private static void devices(Check c, String at, Devices d) {
    if (d.cdromBus == DiskBus.VIRTIO) {
      c.invalid(at + ".cdromBus", "virtio", "a cdrom cannot be on virtio; use sata, scsi, ide or usb");
    }
    if (d.cdromBus == DiskBus.FDC) {
      c.invalid(at + ".cdromBus", "fdc", "fdc is for floppies only; use sata, scsi, ide or usb");
    }
    if (d.diskBus == DiskBus.FDC) {
      c.invalid(at + ".diskBus", "fdc", "fdc is for floppies only; use virtio, scsi, sata, ide or usb");
    }
    if (d.floppyBus != null && d.floppyBus != DiskBus.FDC) {
      c.invalid(at + ".floppyBus", d.floppyBus.value(), "a floppy can only be on fdc");
    }
    if (d.rescueBus == DiskBus.FDC) {
      c.invalid(at + ".rescueBus", "fdc", "fdc is for floppies only; use virtio, scsi, sata, ide or usb");
    }
  }

  private static void noIdeOnQ35(Check c, VirtualGuestSpec spec) {
    if (!isQ35(spec.machineType)) {
      return;
    }
    if (spec.disks != null) {
      for (int i = 0; i < spec.disks.size(); i++) {
        Disk disk = spec.disks.get(i);
        if (disk != null && disk.bus == DiskBus.IDE) {
          c.invalid("spec.disks[" + i + "].bus", "ide", noIdeMessage(spec.machineType));
        }
      }
    }
    noIdeOnQ35(c, "spec.devices", spec.machineType, spec.devices);
  }

  private static void noIdeOnQ35(Check c, String at, String machineType, Devices d) {
    if (d == null || !isQ35(machineType)) {
      return;
    }
    if (d.diskBus == DiskBus.IDE) {
      c.invalid(at + ".diskBus", "ide", noIdeMessage(machineType));
    }
    if (d.cdromBus == DiskBus.IDE) {
      c.invalid(at + ".cdromBus", "ide", noIdeMessage(machineType));
    }
    if (d.rescueBus == DiskBus.IDE) {
      c.invalid(at + ".rescueBus", "ide", noIdeMessage(machineType));
    }
  }

  private static String noIdeMessage(String machineType) {
    return "machineType " + quote(machineType) + " (q35) has no IDE controller; use sata or scsi instead of ide";
  }

  private static boolean isQ35(String machineType) {
    return machineType != null && machineType.contains("q35");
  }

  private static void identity(Check c, GuestIdentity identity) {
    if (identity == null) {
      return;
    }
    c.name("spec.identity.stampedFor", identity.stampedFor, STAMPED_FOR, STAMPED_FOR_MAX, "namespace/name");
    if (identity.diskSerials != null) {
      if (identity.diskSerials.size() > Patterns.MAX_DISKS) {
        c.add("spec.identity.diskSerials", "Too many: " + identity.diskSerials.size() + ": must have at most "
            + Patterns.MAX_DISKS + " items");
      }
      new TreeMap<>(identity.diskSerials).forEach((disk, serial) -> {
        if (!c.key("spec.identity.diskSerials", disk, "a disk name")) {
          return;
        }
        String field = "spec.identity.diskSerials[" + disk + "]";
        c.required(field, serial);
        c.name(field, serial, DISK_SERIAL, Patterns.DISK_SERIAL_MAX, "letters, digits, '_', '.', '+' and '-'");
      });
    }
    if (identity.macAddresses != null) {
      if (identity.macAddresses.size() > Patterns.MAX_INTERFACES) {
        c.add("spec.identity.macAddresses", "Too many: " + identity.macAddresses.size() + ": must have at most "
            + Patterns.MAX_INTERFACES + " items");
      }
      new TreeMap<>(identity.macAddresses).forEach((nic, mac) -> {
        if (!c.key("spec.identity.macAddresses", nic, "an interface name")) {
          return;
        }
        String field = "spec.identity.macAddresses[" + nic + "]";
        c.required(field, mac);
        c.name(field, mac, MAC, Patterns.MAC_MAX, "a unicast MAC address such as 52:54:00:12:34:56");
      });
    }
  }

  // ---- helpers ----

  private static BigDecimal bytes(long amount, int power) {
    return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(1024).pow(power));
  }

  /** A value as messages show it: quoted, control characters escaped, shortened when long. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > SHOWN_VALUE_MAX ? value.substring(0, SHOWN_VALUE_MAX - 3) + "..." : value;
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < shown.length(); i++) {
      char ch = shown.charAt(i);
      if (ch == '"' || ch == '\\') {
        out.append('\\').append(ch);
      } else if (unwritable(shown, i) != null) {
        out.append(String.format("\\u%04x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return out.append('"').toString();
  }

  /**
   * What makes the character at {@code i} unfit for XML and for a terminal, or null: a C0 or C1
   * control character or DEL, U+FFFE or U+FFFF, or half a surrogate pair.
   */
  static String unwritable(String value, int i) {
    char ch = value.charAt(i);
    if (ch < 0x20 || (ch >= 0x7F && ch <= 0x9F)) {
      return String.format("control character U+%04X", (int) ch);
    }
    if (ch == 0xFFFE || ch == 0xFFFF) {
      return String.format("U+%04X, which is not a character", (int) ch);
    }
    if (Character.isHighSurrogate(ch) && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))
        || Character.isLowSurrogate(ch) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
      return String.format("unpaired surrogate U+%04X", (int) ch);
    }
    return null;
  }

  /** Collects violations; each check names the field and says what is allowed. */
  private static final class Check {
    final List<Violation> violations = new ArrayList<>();
    /** The namespace of the guest being checked (pools and volumes are granted per namespace). */
    String namespace = "default";

    void add(String field, String message) {
      violations.add(new Violation(field, message));
    }

    void invalid(String field, String value, String rule) {
      add(field, "Invalid value: " + quote(value) + ": " + rule);
    }

    /**
     * Free text: refuses control characters and what XML cannot carry, naming the first one and its
     * position; {@code lineBreaks} allows tab, line feed and carriage return.
     */
    void text(String field, String value, boolean lineBreaks) {
      for (int i = 0; i < value.length(); i++) {
        char ch = value.charAt(i);
        if (lineBreaks && (ch == '\t' || ch == '\n' || ch == '\r')) {
          continue;
        }
        String problem = unwritable(value, i);
        if (problem != null) {
          invalid(field, value, "must not contain control characters or characters XML cannot carry (" + problem
              + " at position " + i + ")" + (lineBreaks ? "; tab and line breaks are allowed" : ""));
          return;
        }
      }
    }

    /**
     * Notes that {@code field} holds {@code value} (compared by {@code key}); a field with a key seen
     * before is a duplicate, and the message names the first.
     */
    void unique(Map<String, String> seen, String key, String value, String field, String what, String rule) {
      if (key == null) {
        return;
      }
      String first = seen.putIfAbsent(key, field);
      if (first != null) {
        add(field, "Duplicate value: " + quote(value) + ": " + first + " has the same " + what + "; " + rule);
      }
    }

    /** A map key that names a disk or interface (a DNS label); true when it is one. */
    boolean key(String field, String key, String what) {
      if (DNS_LABEL.matcher(key).matches() && key.length() <= Patterns.DNS_LABEL_MAX) {
        return true;
      }
      invalid(field, key, "every key must be " + what + ": a DNS label (lower-case letters, digits, '-') of at most "
          + Patterns.DNS_LABEL_MAX + " characters");
      return false;
    }

    void required(String field, String value) {
      if (value == null) {
        add(field, "Required value");
      }
    }

    void maxLength(String field, String value, int max) {
      if (value != null && value.length() > max) {
        add(field, "Too long: " + quote(value) + " has " + value.length() + " characters: may not be more than " + max);
      }
    }

    /** Checks a length-limited string against a pattern; true when it is absent or fine. */
    boolean name(String field, String value, Pattern pattern, int max, String allowed) {
      if (value == null) {
        return true;
      }
      int before = violations.size();
      if (CONTROL.matcher(value).find()) {
        invalid(field, value, "must not contain control characters; allowed: " + allowed);
      } else if (!value.isEmpty() && !pattern.matcher(value).matches()) {
        invalid(field, value, "must be " + allowed + " (pattern " + pattern.pattern() + ")");
      } else if (value.isEmpty()) {
        invalid(field, value, "must not be empty; allowed: " + allowed);
      }
      maxLength(field, value, max);
      return violations.size() == before;
    }

    void quantity(String field, Quantity quantity, BigDecimal min, BigDecimal max, String minText, String maxText) {
      String text = quantity.toString();
      BigDecimal amount;
      try {
        amount = Quantity.getAmountInBytes(quantity);
      } catch (RuntimeException e) {
        invalid(field, text, "not a quantity; write a number with a unit such as 512Mi, 2Gi or 1Ti");
        return;
      }
      if (amount.compareTo(min) < 0 || amount.compareTo(max) > 0) {
        invalid(field, text, "must be between " + minText + " and " + maxText);
      }
    }
  }
}
