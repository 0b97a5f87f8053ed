package io.vguest.guest;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.vguest.api.v1alpha1.BlankSource;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.DiskSource;
import io.vguest.api.v1alpha1.ExternalVolumeSource;
import io.vguest.api.v1alpha1.Firmware;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.GuestDeviceProfileSpec;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.Rescue;
import io.vguest.api.v1alpha1.Resources;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import io.vguest.devices.InputBus;
import io.vguest.devices.OsFamily;
import io.vguest.devices.OsFamilyDefaults;
import io.vguest.devices.PointerModel;
import io.vguest.devices.RngModel;
import io.vguest.devices.ScsiModel;
import io.vguest.devices.VideoModel;
import io.vguest.devices.VifModel;
import io.vguest.identity.SerialPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Valid guests made from a seeded {@link Random}: random names, every disk role, source and bus,
 * NICs of every kind and model, device choices, a profile now and then, identity values written by
 * hand, and free text with XML specials, non-ASCII and whitespace. Only what the CRD and the
 * validator allow, and no combination QEMU is known to refuse (IDE on q35, read-only SATA or IDE
 * disks, serials longer than their bus shows, more IDE devices than a PC has, an empty USB cdrom).
 */
final class RandomGuests {

  static final Set<String> POOLS = Set.of("default", "volumes");

  /** A generated guest and the profile it names, if any. */
  record Generated(VirtualGuest guest, GuestDeviceProfile profile) {}

  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String LABEL_CHARS = LOWER + "0123456789-";
  private static final String OBJECT_CHARS = LOWER + LOWER.toUpperCase(Locale.ROOT) + "0123456789_.+-";
  private static final String SERIAL_CHARS = LOWER + LOWER.toUpperCase(Locale.ROOT) + "0123456789_.+-";
  private static final String TAG_CHARS = LOWER + LOWER.toUpperCase(Locale.ROOT) + "0123456789_.-";
  private static final String[] TEXT = {"a", "Z", "0", " ", "<", ">", "&", "'", "\"", "]]>", "&amp;", "ü", "ß", "é",
      "日本", "Ω", "€", "-", "/", "\\", ";", "{", "}", "$", "%", "#", "?", "~", "\u00a0", "\u00ff", "\ufffd",
      "\ud83d\ude00"};
  private static final String[] FREE_TEXT_EXTRA = {"\t", "\n", "\r\n"};
  private static final String[] MEMORY = {"16Mi", "512Mi", "1Gi", "2Gi", "1536Mi", "64G", "1Ti", "4Ti", "100M",
      "2147483648"};
  private static final String[] SIZES = {"1Mi", "10Gi", "100G", "1Ti", "64Ti", "5368709120"};

  private final Random random;

  RandomGuests(long seed) {
    random = new Random(seed);
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  @SafeVarargs
  private <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  private <T> T maybe(int percent, T value) {
    return chance(percent) ? value : null;
  }

  private String string(String alphabet, int min, int max) {
    int length = min + random.nextInt(max - min + 1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  String label(int max) {
    int length = 1 + random.nextInt(max);
    StringBuilder s = new StringBuilder().append(LOWER.charAt(random.nextInt(LOWER.length())));
    while (s.length() < length) {
      s.append(LABEL_CHARS.charAt(random.nextInt(LABEL_CHARS.length())));
    }
    while (s.charAt(s.length() - 1) == '-') {
      s.setCharAt(s.length() - 1, 'x');
    }
    return s.toString();
  }

  private String subdomain() {
    return chance(70) ? label(30) : label(20) + "." + label(20);
  }

  private String objectName() {
    String first = string(LOWER + "0123456789_", 1, 1);
    return first + string(OBJECT_CHARS, 0, chance(10) ? 120 : 24);
  }

  private String text(int max, boolean freeText) {
    StringBuilder s = new StringBuilder();
    int parts = 1 + random.nextInt(Math.max(1, max / 4));
    for (int i = 0; i < parts; i++) {
      String part = freeText && chance(8) ? pick(FREE_TEXT_EXTRA) : pick(TEXT);
      if (s.length() + part.length() > max) {
        break;
      }
      s.append(part);
    }
    if (s.length() == 0 || s.toString().isBlank() && !freeText) {
      s.setLength(0);
      s.append("x");
    }
    return s.toString();
  }

  private String mac() {
    int first = random.nextInt(128) * 2; // unicast: the first octet even
    StringBuilder mac = new StringBuilder(String.format(Locale.ROOT, "%02x", first));
    for (int i = 0; i < 5; i++) {
      mac.append(':').append(String.format(Locale.ROOT, "%02x", random.nextInt(256)));
    }
    return chance(20) ? mac.toString().toUpperCase(Locale.ROOT) : mac.toString();
  }

  Generated next() {
    VirtualGuest guest = new VirtualGuest();
    guest.setMetadata(new ObjectMetaBuilder().withNamespace(label(20)).withName(subdomain()).build());
    VirtualGuestSpec spec = new VirtualGuestSpec();
    guest.setSpec(spec);
    spec.nodeName = "node-a";
    spec.runStrategy = maybe(50, pick(RunStrategy.values()));
    spec.displayName = maybe(60, text(256, true));
    spec.osFamily = maybe(70, pick(OsFamily.values()));
    spec.machineType = maybe(50, pick("q35", "pc", "pc-q35-7.2", "pc-i440fx-7.2"));
    spec.resources = new Resources();
    spec.resources.cpus = chance(80) ? 1 + random.nextInt(8) : 1 + random.nextInt(Resources.MAX_CPUS);
    spec.resources.memory = new Quantity(pick(MEMORY));

    GuestDeviceProfile profile = null;
    if (chance(30)) {
      profile = new GuestDeviceProfile();
      profile.setMetadata(new ObjectMetaBuilder().withNamespace(guest.getMetadata().getNamespace())
          .withName(subdomain()).build());
      GuestDeviceProfileSpec ps = new GuestDeviceProfileSpec();
      profile.setSpec(ps);
      ps.osFamily = maybe(50, pick(OsFamily.values()));
      ps.serialPolicy = maybe(40, pick(SerialPolicy.values()));
      ps.machineType = maybe(40, pick("q35", "pc"));
      spec.profile = profile.getMetadata().getName();
    }
    OsFamily family = spec.osFamily != null ? spec.osFamily
        : profile != null && profile.getSpec().osFamily != null ? profile.getSpec().osFamily
        : OsFamilyDefaults.DEFAULT_FAMILY;
    String machine = spec.machineType != null ? spec.machineType
        : profile != null && profile.getSpec().machineType != null ? profile.getSpec().machineType
        : OsFamilyDefaults.of(family).machineType();
    boolean q35 = machine.contains("q35");

    if (chance(60)) {
      spec.devices = new Devices();
      devices(spec.devices, q35);
    }
    if (profile != null) {
      String own = profile.getSpec().machineType;
      devices(profile.getSpec(), q35 || own != null && own.contains("q35")); // valid on its own as well
    }

    if (chance(60)) {
      spec.firmware = new Firmware();
      spec.firmware.serialPolicy = maybe(50, pick(SerialPolicy.values()));
      spec.firmware.serial = maybe(40, text(64, false));
      spec.firmware.uuid = maybe(30, chance(20) ? UUID.randomUUID().toString().toUpperCase(Locale.ROOT)
          : UUID.randomUUID().toString());
    }
    spec.disks = disks(spec, profile, family, machine);
    spec.interfaces = chance(85) ? interfaces() : null;
    if (chance(15)) {
      spec.rescue = new Rescue();
      spec.rescue.volume = volume();
      DiskBus rescueBus = effective(spec.devices == null ? null : spec.devices.rescueBus,
          profile == null ? null : profile.getSpec().rescueBus, OsFamilyDefaults.of(family, machine).rescueBus());
      spec.rescue.readOnly = rescueBus == DiskBus.SATA || rescueBus == DiskBus.IDE ? null : maybe(50, true);
    }
    return new Generated(guest, profile);
  }

  private void devices(Devices d, boolean q35) {
    List<DiskBus> diskBuses = new ArrayList<>(List.of(DiskBus.VIRTIO, DiskBus.SCSI, DiskBus.SATA, DiskBus.USB));
    List<DiskBus> cdromBuses = new ArrayList<>(List.of(DiskBus.SCSI, DiskBus.SATA, DiskBus.USB));
    if (!q35) {
      diskBuses.add(DiskBus.IDE);
      cdromBuses.add(DiskBus.IDE);
    }
    d.diskBus = maybe(50, pick(diskBuses));
    d.cdromBus = maybe(40, pick(cdromBuses));
    d.floppyBus = maybe(20, DiskBus.FDC);
    d.rescueBus = maybe(30, pick(diskBuses));
    d.inputBus = maybe(40, pick(InputBus.values()));
    d.pointerModel = maybe(30, PointerModel.USBTABLET);
    d.rngModel = maybe(40, pick(RngModel.values()));
    d.scsiModel = maybe(40, pick(ScsiModel.values()));
    d.videoModel = maybe(40, pick(VideoModel.values()));
    d.vifModel = maybe(40, pick(VifModel.values()));
  }

  private static DiskBus effective(DiskBus own, DiskBus profile, DiskBus fallback) {
    return own != null ? own : profile != null ? profile : fallback;
  }

  private VolumeSource volume() {
    VolumeSource v = new VolumeSource();
    v.pool = pick(List.copyOf(POOLS));
    v.name = objectName();
    return v;
  }

  private List<Disk> disks(VirtualGuestSpec spec, GuestDeviceProfile profile, OsFamily family, String machine) {
    boolean q35 = machine.contains("q35");
    int count = chance(90) ? 1 + random.nextInt(6) : 1 + random.nextInt(16);
    List<Disk> disks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<Integer> bootOrders = new HashSet<>();
    int ide = 0;
    var defaults = OsFamilyDefaults.of(family, machine);
    Devices p = profile == null ? null : profile.getSpec();
    for (int i = 0; i < count; i++) {
      Disk disk = new Disk();
      do {
        disk.name = label(20);
      } while (!names.add(disk.name));
      disk.role = i == 0 ? DiskRole.ROOT : pick(DiskRole.DATA, DiskRole.EPHEMERAL, DiskRole.SWAP, DiskRole.CDROM,
          DiskRole.FLOPPY);
      boolean drive = disk.role == DiskRole.CDROM || disk.role == DiskRole.FLOPPY;
      if (!drive || chance(60)) {
        disk.source = new DiskSource();
        int kind = random.nextInt(drive ? 2 : 3);
        if (kind == 0) {
          disk.source.volume = volume();
        } else if (kind == 1) {
          disk.source.external = new ExternalVolumeSource();
          disk.source.external.pool = pick(List.copyOf(POOLS));
          disk.source.external.volumeId = chance(50) ? UUID.randomUUID().toString()
              : string(LOWER + "0123456789", 1, 1) + string(SERIAL_CHARS, 0, 40);
        } else {
          disk.source.blank = new BlankSource();
          disk.source.blank.pool = pick(List.copyOf(POOLS));
          disk.source.blank.size = new Quantity(pick(SIZES));
        }
      }
      if (disk.role == DiskRole.FLOPPY) {
        disk.bus = maybe(50, DiskBus.FDC);
      } else if (chance(40)) {
        List<DiskBus> buses = new ArrayList<>(List.of(DiskBus.SCSI, DiskBus.SATA, DiskBus.USB));
        if (disk.role != DiskRole.CDROM) {
          buses.add(DiskBus.VIRTIO);
        }
        if (!q35 && ide < 3) {
          buses.add(DiskBus.IDE);
        }
        disk.bus = pick(buses);
      }
      DiskBus bus = disk.bus != null ? disk.bus : switch (disk.role) {
        case CDROM -> effective(spec.devices == null ? null : spec.devices.cdromBus, p == null ? null : p.cdromBus,
            defaults.cdromBus());
        case FLOPPY -> DiskBus.FDC;
        default -> effective(spec.devices == null ? null : spec.devices.diskBus, p == null ? null : p.diskBus,
            defaults.diskBus());
      };
      if (bus == DiskBus.IDE) {
        if (ide >= 3) { // a PC has four IDE places; keep one for a rescue disk
          disk.bus = disk.role == DiskRole.CDROM ? DiskBus.SATA : DiskBus.VIRTIO;
          bus = disk.bus;
        } else {
          ide++;
        }
      }
      if (disk.role == DiskRole.CDROM && disk.source == null && bus == DiskBus.USB) {
        disk.bus = DiskBus.SATA; // QEMU refuses an empty USB cdrom
        bus = DiskBus.SATA;
      }
      if (chance(30)) {
        int limit = disk.bus == DiskBus.SCSI || disk.bus == DiskBus.USB ? 36 : 20;
        disk.serial = string(SERIAL_CHARS, 1, limit);
      }
      if (chance(20)) {
        int order;
        do {
          order = 1 + random.nextInt(64);
        } while (!bootOrders.add(order));
        disk.bootOrder = order;
      }
      disk.tag = maybe(30, string(TAG_CHARS, 1, 32));
      if (disk.role.kind() == DiskRole.DeviceKind.DISK && disk.bus != null && disk.bus != DiskBus.SATA
          && disk.bus != DiskBus.IDE && chance(25)) {
        disk.readOnly = true;
      }
      disks.add(disk);
    }
    if (count > 1 && chance(50)) {
      java.util.Collections.swap(disks, 0, random.nextInt(count));
    }
    return disks;
  }

  private List<NetworkInterface> interfaces() {
    int count = random.nextInt(5);
    List<NetworkInterface> nics = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < count; i++) {
      NetworkInterface nic = new NetworkInterface();
      do {
        nic.name = label(15);
      } while (!names.add(nic.name));
      switch (random.nextInt(3)) {
        case 0 -> nic.network = objectName();
        case 1 -> nic.bridge = string(TAG_CHARS, 1, 15);
        default -> nic.userMode = true;
      }
      nic.model = maybe(50, pick(VifModel.values()));
      nic.macAddress = maybe(30, mac());
      nic.tag = maybe(30, string(TAG_CHARS, 1, 32));
      nics.add(nic);
    }
    return nics;
  }
}
