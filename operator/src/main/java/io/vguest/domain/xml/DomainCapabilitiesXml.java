package io.vguest.domain.xml;

import io.vguest.devices.DomainCapabilities;
import io.vguest.devices.DomainCapabilities.DeviceCapability;
import io.vguest.devices.FirmwareCapabilities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libvirt's domain capabilities XML ({@code virConnectGetDomainCapabilities}, {@code virsh
 * domcapabilities}) read into a {@link DomainCapabilities} value and written back from one: the
 * canonical machine type and, for every element under {@code <devices>}, its {@code supported}
 * flag and {@code <enum>} value lists. Elements it does not know are kept generically, so a newer
 * libvirt that lists more is checked without a code change.
 */
public final class DomainCapabilitiesXml {

  private DomainCapabilitiesXml() {}

  /** @throws IllegalArgumentException when the XML is unreadable or not domain capabilities */
  public static DomainCapabilities parse(String xml) {
    XmlElement root = XmlElement.parse(xml, "domain capabilities");
    if (!"domainCapabilities".equals(root.name())) {
      throw new IllegalArgumentException("unreadable domain capabilities: root element is <" + root.name()
          + ">, expected <domainCapabilities>");
    }
    String machine = trimmed(root.childText("machine"));
    if (machine == null || machine.isEmpty()) {
      throw new IllegalArgumentException("unreadable domain capabilities: no <machine>");
    }
    Map<String, DeviceCapability> devices = new LinkedHashMap<>();
    XmlElement devicesElement = root.child("devices");
    if (devicesElement != null) {
      for (XmlElement device : devicesElement.children()) {
        devices.put(device.name(), new DeviceCapability(!"no".equals(device.attr("supported")), enums(device)));
      }
    }
    XmlElement os = root.child("os");
    return new DomainCapabilities(trimmed(root.childText("path")), trimmed(root.childText("domain")), machine,
        trimmed(root.childText("arch")), devices, os == null ? null : os(os));
  }

  /** Writes the parts {@link #parse} reads, in libvirt's order. */
  public static String toXml(DomainCapabilities caps) {
    XmlWriter xml = new XmlWriter();
    xml.start("domainCapabilities");
    xml.text("path", caps.emulator());
    xml.text("domain", caps.domainType());
    xml.text("machine", caps.machine());
    xml.text("arch", caps.arch());
    if (caps.os() != null) {
      FirmwareCapabilities os = caps.os();
      xml.start("os", "supported", "yes");
      writeEnum(xml, "firmware", os.firmware());
      xml.start("loader", "supported", "yes");
      writeEnum(xml, "secure", os.loaderSecure());
      xml.end();
      xml.end();
    }
    xml.start("devices");
    caps.devices().forEach((name, device) -> {
      xml.start(name, "supported", device.supported() ? "yes" : "no");
      device.enums().forEach((enumName, values) -> writeEnum(xml, enumName, values));
      xml.end();
    });
    xml.end();
    xml.end();
    return xml.toXml();
  }

  private static void writeEnum(XmlWriter xml, String name, List<String> values) {
    xml.start("enum", "name", name);
    values.forEach(v -> xml.text("value", v));
    xml.end();
  }

  /** {@code <os>}: the firmware enum and the loader's secure enum. */
  private static FirmwareCapabilities os(XmlElement os) {
    if ("no".equals(os.attr("supported"))) {
      return new FirmwareCapabilities(List.of(), List.of());
    }
    XmlElement loader = os.child("loader");
    List<String> secure = loader == null || "no".equals(loader.attr("supported")) ? List.of()
        : enums(loader).getOrDefault("secure", List.of());
    return new FirmwareCapabilities(enums(os).getOrDefault("firmware", List.of()), secure);
  }

  private static Map<String, List<String>> enums(XmlElement device) {
    Map<String, List<String>> enums = new LinkedHashMap<>();
    for (XmlElement e : device.children("enum")) {
      String name = e.attr("name");
      if (name != null && !name.isEmpty()) {
        List<String> values = new ArrayList<>();
        e.children("value").forEach(value -> values.add(value.text().trim()));
        enums.put(name, values);
      }
    }
    return enums;
  }

  private static String trimmed(String text) {
    return text == null ? null : text.trim();
  }
}
