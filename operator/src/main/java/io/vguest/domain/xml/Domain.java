package io.vguest.domain.xml;

import io.vguest.domain.GuestDefinition.ClockOffset;
import io.vguest.domain.VirtType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * {@code <domain>}: the root of a libvirt domain definition, written by the renderer and read back
 * from the XML libvirt holds (which adds defaults, addresses and devices of its own; reading keeps
 * only what vguest writes).
 *
 * @param metadata vguest's metadata, or null (none, or unreadable)
 * @param genid the VM generation ID the guest reads (a UUID), or null for none
 * @param sysinfo the SMBIOS tables, or null
 * @param features the names of the {@code <features>} vguest turns on (acpi, apic)
 * @param clockOffset the guest's RTC, or null when the domain names none
 * @param smm System Management Mode on ({@code <smm state='on'/>}): Secure Boot needs it
 */
public record Domain(
    VirtType type,
    String name,
    String uuid,
    Metadata metadata,
    long memoryKiB,
    int vcpus,
    Sysinfo sysinfo,
    Os os,
    List<String> features,
    ClockOffset clockOffset,
    DeviceList devices,
    String genid,
    boolean smm) {

  public Domain {
    features = List.copyOf(features);
  }

  /** A domain without a generation ID and without System Management Mode. */
  public Domain(VirtType type, String name, String uuid, Metadata metadata, long memoryKiB, int vcpus, Sysinfo sysinfo,
      Os os, List<String> features, ClockOffset clockOffset, DeviceList devices) {
    this(type, name, uuid, metadata, memoryKiB, vcpus, sysinfo, os, features, clockOffset, devices, null, false);
  }

  public void write(XmlWriter xml) {
    xml.start("domain", "type", type.xml());
    xml.text("name", name);
    xml.text("uuid", uuid);
    xml.text("genid", genid);
    if (metadata != null) {
      metadata.write(xml);
    }
    xml.text("memory", memoryKiB, "unit", "KiB");
    xml.text("vcpu", vcpus, "placement", "static");
    if (sysinfo != null) {
      sysinfo.write(xml);
    }
    os.write(xml);
    xml.start("features");
    features.forEach(xml::empty);
    if (smm) {
      xml.empty("smm", "state", "on");
    }
    xml.end();
    xml.empty("clock", "offset", clockOffset == null ? null : clockOffset.xml());
    xml.text("on_poweroff", "destroy");
    xml.text("on_reboot", "restart");
    xml.text("on_crash", "destroy");
    devices.write(xml);
    xml.end();
  }

  public String toXml() {
    XmlWriter xml = new XmlWriter();
    write(xml);
    return xml.toXml();
  }

  /**
   * Reads a domain XML: vguest's own rendering or what libvirt holds for it.
   *
   * @throws IllegalArgumentException when the XML is unreadable, not a domain, or its type, memory
   *     or vcpu count is missing or unreadable
   */
  public static Domain parse(String xml) {
    XmlElement domain = XmlElement.parse(xml, "domain XML");
    if (!"domain".equals(domain.name()) || domain.namespace() != null) {
      throw new IllegalArgumentException("unreadable domain XML: root element is <" + domain.name()
          + ">, expected <domain>");
    }
    XmlElement metadata = domain.child("metadata");
    XmlElement sysinfo = domain.child("sysinfo");
    XmlElement os = domain.child("os");
    XmlElement features = domain.child("features");
    XmlElement clock = domain.child("clock");
    XmlElement devices = domain.child("devices");
    XmlElement smm = features == null ? null : features.child("smm");
    return new Domain(
        VirtType.fromValue(domain.attr("type")),
        domain.childText("name"),
        trimmed(domain.childText("uuid")),
        metadata == null ? null : Metadata.read(metadata),
        memoryKiB(domain.child("memory")),
        vcpus(domain.childText("vcpu")),
        sysinfo == null ? null : Sysinfo.read(sysinfo),
        os == null ? new Os(null, null) : Os.read(os),
        features == null ? List.of() : features.children().stream().map(XmlElement::name)
            .filter(name -> !name.equals("smm")).toList(),
        clock == null || clock.attr("offset") == null ? null
            : Values.of(ClockOffset.class, clock.attr("offset"), ClockOffset::xml, "clock offset"),
        devices == null ? new DeviceList(List.of(), List.of(), List.of(), null, List.of(), null, null)
            : DeviceList.read(devices),
        trimmed(domain.childText("genid")),
        smm != null && "on".equals(smm.attr("state")));
  }

  /** libvirt's {@code <memory unit=...>} in KiB, rounded up. */
  private static long memoryKiB(XmlElement memory) {
    if (memory == null) {
      throw new IllegalArgumentException("unreadable domain XML: no <memory>");
    }
    String unit = memory.attr("unit");
    long factor = switch (unit == null ? "kib" : unit.toLowerCase(Locale.ROOT)) {
      case "b", "bytes" -> 1;
      case "k", "kib" -> 1024;
      case "m", "mib" -> 1024L * 1024;
      case "g", "gib" -> 1024L * 1024 * 1024;
      case "t", "tib" -> 1024L * 1024 * 1024 * 1024;
      default -> throw new IllegalArgumentException("unreadable domain XML: <memory unit='" + unit + "'>");
    };
    try {
      return new BigDecimal(memory.text().trim()).multiply(BigDecimal.valueOf(factor))
          .divide(BigDecimal.valueOf(1024), 0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("unreadable domain XML: <memory>" + memory.text() + "</memory>", e);
    }
  }

  private static int vcpus(String text) {
    try {
      return Integer.parseInt(text == null ? "" : text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unreadable domain XML: <vcpu>" + text + "</vcpu>", e);
    }
  }

  private static String trimmed(String text) {
    return text == null ? null : text.trim();
  }
}
