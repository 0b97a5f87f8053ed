package io.vguest.domain;

import io.vguest.devices.DiskBus;
import io.vguest.domain.xml.Address;
import io.vguest.domain.xml.Controller;
import io.vguest.domain.xml.Memballoon;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stamped device addresses as the renderer writes them: an {@code <address>} for each device
 * that has one, and the devices libvirt added by itself (PCIe root ports and bridges, USB and SATA
 * controllers, the memory balloon) written out with theirs, so libvirt places nothing anew. A
 * device without a stamped address gets none and libvirt gives it a free one; a stamped address
 * of a device that is gone is simply not written, which frees it and nothing else.
 */
final class DeviceAddressPlan {

  private final Map<String, DeviceAddress> byKey = new TreeMap<>();
  private final Set<String> multifunctionSlots = new HashSet<>();

  DeviceAddressPlan(Map<String, String> stamped) {
    Set<String> slotsWithFunctions = new HashSet<>();
    stamped.forEach((key, text) -> {
      DeviceAddress address = DeviceAddress.parse(text);
      byKey.put(key, address);
      if (address.type() == DeviceAddress.Type.PCI && address.pciFunction() > 0) {
        slotsWithFunctions.add(address.pciSlot());
      }
    });
    multifunctionSlots.addAll(slotsWithFunctions);
  }

  /** The address element of a device, or null when none is stamped for it. */
  Address of(String key) {
    DeviceAddress address = byKey.get(key);
    if (address == null) {
      return null;
    }
    boolean multifunction = address.type() == DeviceAddress.Type.PCI && address.pciFunction() == 0
        && multifunctionSlots.contains(address.pciSlot());
    return new Address(address, multifunction);
  }

  /**
   * The address element of a disk on {@code bus}, or null when none is stamped for it or the
   * stamped one belongs to another kind of bus: a disk moved from virtio to scsi gets a new address
   * on its new bus from libvirt, and its old PCI slot stays reserved for it should it move back.
   */
  Address ofDisk(String key, DiskBus bus) {
    DeviceAddress address = byKey.get(key);
    if (address == null || address.type() != addressTypeOf(bus)) {
      return null;
    }
    return of(key);
  }

  private static DeviceAddress.Type addressTypeOf(DiskBus bus) {
    return switch (bus) {
      case VIRTIO -> DeviceAddress.Type.PCI;
      case USB -> DeviceAddress.Type.USB;
      default -> DeviceAddress.Type.DRIVE;
    };
  }

  /**
   * Controllers libvirt adds by itself whose addresses are stamped: PCI controllers (by model and
   * index) and SATA and IDE controllers (which have no models), in key order.
   */
  List<Controller> implicitControllers() {
    List<Controller> controllers = new ArrayList<>();
    byKey.forEach((key, address) -> {
      String[] parts = key.split("\\.");
      if (parts.length != 3 || !parts[0].equals("controller")) {
        return;
      }
      int index = Integer.parseInt(parts[2]);
      if (DeviceKeys.PCI_CONTROLLER_MODELS.contains(parts[1])) {
        controllers.add(new Controller(Controller.Type.PCI, index, parts[1], of(key)));
      } else if (Set.of("sata", "ide").contains(parts[1])) { // usb: see DeviceAddressReader
        controllers.add(new Controller(Controller.Type.fromXml(parts[1]), index, null, of(key)));
      }
    });
    controllers.sort(java.util.Comparator.comparing((Controller c) -> c.type().xml()).thenComparing(Controller::index));
    return controllers;
  }

  /** The memory balloon with its stamped address, or null to leave it to libvirt. */
  Memballoon memballoon() {
    Address address = of(DeviceKeys.memballoon());
    return address == null ? null : new Memballoon(address);
  }
}
