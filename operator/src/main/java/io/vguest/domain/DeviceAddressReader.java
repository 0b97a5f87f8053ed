package io.vguest.domain;

import io.vguest.domain.xml.XmlReader;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads back the addresses libvirt gave a defined domain's devices, keyed as the guest's spec keeps
 * them ({@link DeviceKeys}): disks by the guest's disk names (found by target device), NICs by
 * interface name (found by MAC), everything else by libvirt's type and index. Devices that are not
 * the guest's own (the rescue disk) and address types vguest does not keep (drive, isa, ...) are
 * left out.
 */
public final class DeviceAddressReader {

  private DeviceAddressReader() {}

  public static SortedMap<String, String> read(String domainXml, GuestDefinition definition) {
    Map<String, String> diskByTarget = new HashMap<>();
    List<DiskDefinition> attached = DomainRenderer.attached(definition);
    List<io.vguest.domain.xml.Disk> targets = DomainRenderer.disks(attached);
    for (int i = 0; i < attached.size(); i++) {
      if (!GuestDefinition.RESCUE_SERIAL.equals(attached.get(i).serial())) {
        diskByTarget.put(targets.get(i).targetDev(), attached.get(i).name());
      }
    }
    Map<String, String> nicByMac = new HashMap<>();
    definition.interfaces().forEach(nic -> nicByMac.put(nic.macAddress().toLowerCase(Locale.ROOT), nic.name()));

    SortedMap<String, String> addresses = new TreeMap<>();
    Element devices = child(XmlReader.parse(domainXml, "domain XML"), "devices");
    if (devices == null) {
      return addresses;
    }
    Map<String, Integer> counts = new HashMap<>();
    for (Node n = devices.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element device)) {
        continue;
      }
      Element address = child(device, "address");
      DeviceAddress at = address == null ? null
          : DeviceAddress.fromLibvirt(name -> address.hasAttribute(name) ? address.getAttribute(name) : null);
      if (at == null || at.type() == DeviceAddress.Type.DRIVE) {
        // Drive addresses follow the target names vguest hands out in disk order (sda is unit 0),
        // so they are left to libvirt: keeping one while its target name moves would collide.
        continue;
      }
      String key = keyOf(device, diskByTarget, nicByMac, counts);
      if (key != null) {
        addresses.put(key, at.text());
      }
    }
    return addresses;
  }

  private static String keyOf(Element device, Map<String, String> diskByTarget, Map<String, String> nicByMac,
      Map<String, Integer> counts) {
    switch (device.getTagName()) {
      case "disk": {
        Element target = child(device, "target");
        String disk = target == null ? null : diskByTarget.get(target.getAttribute("dev"));
        return disk == null ? null : DeviceKeys.disk(disk);
      }
      case "interface": {
        Element mac = child(device, "mac");
        String nic = mac == null ? null : nicByMac.get(mac.getAttribute("address").toLowerCase(Locale.ROOT));
        return nic == null ? null : DeviceKeys.nic(nic);
      }
      case "controller": {
        String type = device.getAttribute("type");
        String model = device.getAttribute("model");
        int index = Integer.parseInt(device.getAttribute("index").isEmpty() ? "0" : device.getAttribute("index"));
        if (type.equals("pci")) {
          return DeviceKeys.PCI_CONTROLLER_MODELS.contains(model) ? DeviceKeys.controller(model, index) : null;
        }
        // Not the USB controller: written without its model, libvirt would make q35's qemu-xhci a
        // piix3-uhci (checked on libvirt 9.0), so it is left to libvirt's default placement.
        return List.of("scsi", "sata", "ide").contains(type) ? DeviceKeys.controller(type, index) : null;
      }
      case "video":
        return DeviceKeys.video(counts.merge("video", 1, Integer::sum) - 1);
      case "rng":
        return DeviceKeys.rng(counts.merge("rng", 1, Integer::sum) - 1);
      case "memballoon":
        return DeviceKeys.memballoon();
      case "input":
        return DeviceKeys.input(device.getAttribute("type"), device.getAttribute("bus"));
      default:
        return null;
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getTagName())) {
        return e;
      }
    }
    return null;
  }
}
