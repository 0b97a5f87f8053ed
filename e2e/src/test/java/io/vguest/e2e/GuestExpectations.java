package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.DiskStatus;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.VifModel;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.identity.IdentityGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a guest should see according to its VirtualGuest (spec and status), in the same shape as
 * what it reports, so a scenario compares whole values and a failure shows every difference.
 */
final class GuestExpectations {

  private GuestExpectations() {}

  /** One disk as seen: bus, serial, by-id path. */
  record SeenDisk(String bus, String serial, String byId) {}

  /** The identity a guest reports, reduced to what spec and status promise. */
  record SeenIdentity(String serial, String uuid, Map<String, SeenDisk> disksBySerial, Map<String, String> nicDrivers,
      List<String> oemStrings) {}

  /** What the VirtualGuest promises the guest sees. */
  static SeenIdentity expected(VirtualGuest guest, String hostIdNode) {
    VirtualGuestSpec spec = guest.getSpec();
    Map<String, SeenDisk> disks = new TreeMap<>();
    for (DiskStatus disk : guest.getStatus().disks) {
      if (disk.guestSerial != null) {
        disks.put(disk.guestSerial, new SeenDisk(disk.bus, disk.guestSerial, disk.byIdPath));
      }
    }
    Map<String, String> nics = new TreeMap<>();
    for (NetworkInterface nic : spec.interfaces == null ? List.<NetworkInterface>of() : spec.interfaces) {
      VifModel model = nic.model != null ? nic.model : spec.devices.vifModel;
      nics.put(macOf(spec, nic), driverOf(model));
    }
    return new SeenIdentity(
        guest.getStatus().serial == null ? "" : guest.getStatus().serial,
        spec.firmware.uuid.toLowerCase(Locale.ROOT),
        disks,
        nics,
        oemStrings(guest, hostIdNode));
  }

  /** What the guest reported, in the same shape. */
  static SeenIdentity seen(GuestReport report) {
    Map<String, SeenDisk> disks = new TreeMap<>();
    report.disks().values().stream().filter(d -> d.serial() != null)
        .forEach(d -> disks.put(d.serial(), new SeenDisk(d.bus(), d.serial(), d.byId())));
    Map<String, String> nics = new TreeMap<>();
    report.nics().values().forEach(n -> nics.put(n.mac().toLowerCase(Locale.ROOT), n.driver()));
    return new SeenIdentity(report.productSerial(), report.productUuid().toLowerCase(Locale.ROOT), disks, nics,
        report.oemStrings());
  }

  /** Asserts the guest sees what its VirtualGuest promises; names every difference at once. */
  static void assertGuestSees(VirtualGuest guest, GuestReport report, String node) {
    assertEquals(expected(guest, node), seen(report), "what " + guest.getMetadata().getName()
        + " sees on node " + node + " (expected from spec and status, actual from the guest's console)");
  }

  /**
   * The OEM strings the renderer promises: tagged disks with bus and serial as seen, tagged NICs
   * with their MAC, and the host id of the node and namespace.
   */
  static List<String> oemStrings(VirtualGuest guest, String node) {
    VirtualGuestSpec spec = guest.getSpec();
    List<String> strings = new ArrayList<>();
    Map<String, DiskStatus> status = new TreeMap<>();
    guest.getStatus().disks.forEach(d -> status.put(d.name, d));
    for (Disk disk : spec.disks) {
      if (disk.tag != null) {
        DiskStatus seen = status.get(disk.name);
        strings.add(DefinitionBuilder.OEM_PREFIX + "disk:" + disk.tag + ":" + seen.bus + ":"
            + (seen.guestSerial == null ? "" : seen.guestSerial));
      }
    }
    for (NetworkInterface nic : spec.interfaces == null ? List.<NetworkInterface>of() : spec.interfaces) {
      if (nic.tag != null) {
        strings.add(DefinitionBuilder.OEM_PREFIX + "nic:" + nic.tag + ":" + macOf(spec, nic));
      }
    }
    strings.add(DefinitionBuilder.OEM_PREFIX + "hostid:"
        + new IdentityGenerator(E2eEnvironment.SEED).hostId(node, guest.getMetadata().getNamespace()));
    return strings;
  }

  static String macOf(VirtualGuestSpec spec, NetworkInterface nic) {
    String mac = nic.macAddress != null ? nic.macAddress : spec.identity.macAddresses.get(nic.name);
    return mac.toLowerCase(Locale.ROOT);
  }

  /** The Linux driver that binds a NIC model. */
  static String driverOf(VifModel model) {
    return switch (model) {
      case VIRTIO -> "virtio_net";
      case E1000 -> "e1000";
      case E1000E -> "e1000e";
      case RTL8139 -> "8139cp";
      default -> model.value();
    };
  }
}
