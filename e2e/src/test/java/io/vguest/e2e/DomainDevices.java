package io.vguest.e2e;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The devices of a domain as the node's libvirt holds it ({@code virsh dumpxml}): the address of
 * every disk by its serial and of every NIC by its MAC, and the generation ID. Read with the
 * suite's own parser, not the operator's, so the operator's reading is checked too.
 *
 * @param diskAddresses by disk serial: {@code pci:DDDD:BB:SS.F} or {@code drive:C:B:T:U}
 * @param nicAddresses by MAC in lower case, as for disks
 * @param controllerAddresses PCI controllers by {@code <model>.<index>} (pcie-root-port.4)
 * @param generationId the domain's {@code <genid>}, or null
 */
record DomainDevices(Map<String, String> diskAddresses, Map<String, String> nicAddresses,
    Map<String, String> controllerAddresses, String generationId) {

  /** The guest's domain on the node, as libvirt holds it now. */
  static DomainDevices of(E2eNode node, VirtualGuest guest) {
    return parse(node.daemon.virsh("dumpxml", E2eNode.domainName(guest)).orThrow());
  }

  static DomainDevices parse(String domainXml) {
    Element domain;
    try {
      domain = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(domainXml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    } catch (Exception e) {
      throw new AssertionError("unreadable domain XML: " + e.getMessage() + "\n" + domainXml, e);
    }
    Map<String, String> disks = new TreeMap<>();
    Map<String, String> nics = new TreeMap<>();
    Map<String, String> controllers = new TreeMap<>();
    Element devices = child(domain, "devices");
    for (Node n = devices == null ? null : devices.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element device)) {
        continue;
      }
      String address = address(child(device, "address"));
      switch (device.getTagName()) {
        case "disk" -> {
          Element serial = child(device, "serial");
          if (serial != null) {
            disks.put(serial.getTextContent().strip(), address);
          }
        }
        case "interface" -> nics.put(child(device, "mac").getAttribute("address").toLowerCase(Locale.ROOT), address);
        case "controller" -> {
          if (device.getAttribute("type").equals("pci")) {
            controllers.put(device.getAttribute("model") + "." + device.getAttribute("index"), address);
          }
        }
        default -> { }
      }
    }
    Element genid = child(domain, "genid");
    return new DomainDevices(disks, nics, controllers, genid == null ? null : genid.getTextContent().strip()
        .toLowerCase(Locale.ROOT));
  }

  /** An address element in the notation of {@code spec.deviceAddresses}; null when there is none. */
  static String address(Element address) {
    if (address == null) {
      return null;
    }
    return switch (address.getAttribute("type")) {
      case "pci" -> String.format(Locale.ROOT, "pci:%04x:%02x:%02x.%x", number(address, "domain"),
          number(address, "bus"), number(address, "slot"), number(address, "function"));
      case "drive" -> "drive:" + number(address, "controller") + ":" + number(address, "bus") + ":"
          + number(address, "target") + ":" + number(address, "unit");
      default -> address.getAttribute("type");
    };
  }

  private static int number(Element address, String attribute) {
    String text = address.getAttribute(attribute);
    if (text.isEmpty()) {
      return 0;
    }
    return text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }
}
