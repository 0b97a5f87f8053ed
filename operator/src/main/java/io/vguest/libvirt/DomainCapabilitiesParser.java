package io.vguest.libvirt;

import io.vguest.devices.DomainCapabilities;
import io.vguest.devices.DomainCapabilities.DeviceCapability;
import io.vguest.devices.FirmwareCapabilities;
import io.vguest.domain.xml.XmlReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads libvirt's domain capabilities XML ({@code virConnectGetDomainCapabilities}, {@code virsh
 * domcapabilities}) into a {@link DomainCapabilities} value: the canonical machine type and, for
 * every element under {@code <devices>}, its {@code supported} flag and {@code <enum>} value lists.
 * Elements it does not know are kept generically, so a newer libvirt that lists more is checked
 * without a code change.
 */
public final class DomainCapabilitiesParser {

  private DomainCapabilitiesParser() {}

  /** @throws IllegalArgumentException when the XML is unreadable or not domain capabilities */
  public static DomainCapabilities parse(String xml) {
    Element root = XmlReader.parse(xml, "domain capabilities");
    if (!"domainCapabilities".equals(root.getLocalName())) {
      throw new IllegalArgumentException("unreadable domain capabilities: root element is <" + root.getLocalName()
          + ">, expected <domainCapabilities>");
    }
    String machine = text(root, "machine");
    if (machine == null || machine.isEmpty()) {
      throw new IllegalArgumentException("unreadable domain capabilities: no <machine>");
    }
    Map<String, DeviceCapability> devices = new LinkedHashMap<>();
    Element devicesElement = child(root, "devices");
    if (devicesElement != null) {
      for (Element device : children(devicesElement)) {
        devices.put(device.getLocalName(), new DeviceCapability(!"no".equals(device.getAttribute("supported")),
            enums(device)));
      }
    }
    return new DomainCapabilities(text(root, "path"), text(root, "domain"), machine, text(root, "arch"), devices,
        os(child(root, "os")));
  }

  /** {@code <os>}: the firmware enum and the loader's secure enum; null when libvirt reports no {@code <os>}. */
  private static FirmwareCapabilities os(Element os) {
    if (os == null) {
      return null;
    }
    if ("no".equals(os.getAttribute("supported"))) {
      return new FirmwareCapabilities(List.of(), List.of());
    }
    Element loader = child(os, "loader");
    List<String> secure = loader == null || "no".equals(loader.getAttribute("supported")) ? List.of()
        : enums(loader).getOrDefault("secure", List.of());
    return new FirmwareCapabilities(enums(os).getOrDefault("firmware", List.of()), secure);
  }

  private static Map<String, List<String>> enums(Element device) {
    Map<String, List<String>> enums = new LinkedHashMap<>();
    for (Element e : children(device)) {
      if ("enum".equals(e.getLocalName()) && !e.getAttribute("name").isEmpty()) {
        List<String> values = new ArrayList<>();
        for (Element value : children(e)) {
          if ("value".equals(value.getLocalName())) {
            values.add(value.getTextContent().trim());
          }
        }
        enums.put(e.getAttribute("name"), values);
      }
    }
    return enums;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  private static Element child(Element parent, String name) {
    for (Element e : children(parent)) {
      if (name.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent) {
    List<Element> children = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        children.add(e);
      }
    }
    return children;
  }
}
