package io.vguest.guest;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks the identity a guest shows: boot orders, disk serials and MACs unique within the guest,
 * and the stamped values in {@code spec.identity} (see also {@link IdentityFieldsValidator}).
 */
final class IdentityValidator {

  private static final Pattern STAMPED_FOR = Pattern.compile("^[a-z0-9.-]+/[a-z0-9.-]+$");
  private static final int STAMPED_FOR_MAX = 320;

  private IdentityValidator() {}

  /**
   * Boot orders, disk serials and MAC addresses must each be unique within the guest: libvirt
   * refuses a boot order used twice, and the guest tells its disks and NICs apart by serial and
   * MAC. Serials and MACs are compared as the guest gets them: the disk's or interface's own value,
   * else the one stamped for it in spec.identity.
   */
  static void uniqueIdentities(FieldCheck c, VirtualGuestSpec spec) {
    Map<String, String> stampedSerials = spec.identity == null || spec.identity.diskSerials == null ? Map.of()
        : spec.identity.diskSerials;
    Map<Integer, Integer> bootOrders = new HashMap<>();
    Map<String, String> serials = new HashMap<>();
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
    Map<String, String> macs = new HashMap<>();
    List<NetworkInterface> nics = spec.interfaces == null ? List.of() : spec.interfaces;
    for (int i = 0; i < nics.size(); i++) {
      NetworkInterface nic = nics.get(i);
      if (nic == null) {
        continue;
      }
      String mac = nic.macAddress != null ? nic.macAddress : nic.name == null ? null : stampedMacs.get(nic.name);
      c.unique(macs, mac == null ? null : mac.toLowerCase(Locale.ROOT), mac, nic.macAddress != null
          ? "spec.interfaces[" + i + "].macAddress" : "spec.identity.macAddresses[" + nic.name + "]", "MAC address",
          "MAC addresses must be unique");
    }
  }

  /** The stamp's owner and its disk serial and MAC maps, keyed by disk and interface name. */
  static void identity(FieldCheck c, GuestIdentity identity) {
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
        c.name(field, serial, FieldCheck.DISK_SERIAL, Patterns.DISK_SERIAL_MAX, FieldCheck.SERIAL_RULE);
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
        c.name(field, mac, FieldCheck.MAC, Patterns.MAC_MAX, "a unicast MAC address such as 52:54:00:12:34:56");
      });
    }
  }
}
