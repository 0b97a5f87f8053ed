package io.vguest.reconcile;

import io.vguest.domain.GuestDefinition;
import io.vguest.domain.GuestMetadata;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.vguest.domain.xml.XmlReader;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The few facts of a domain XML that name what a guest sees, read coarsely so that libvirt's
 * additions (defaults, addresses, element order) do not matter. Used to name pending changes and
 * to report what the defined domain gives the guest; never to decide whether to redefine (the
 * render hash does that).
 *
 * @param memoryKiB memory in KiB, or null when absent or unreadable
 * @param machine the {@code <os><type machine>} attribute
 * @param kernelBoot kernel, initrd and command line of a direct kernel boot as one comparable string, or
 *     null when the domain boots from its disks
 * @param serial the SMBIOS system serial, or null
 * @param metadata the vguest metadata, or null when the domain has none (or it is unreadable)
 */
public record DomainFacts(
    String uuid,
    Long memoryKiB,
    String vcpus,
    String machine,
    String kernelBoot,
    String serial,
    String chassisSerial,
    List<String> oemStrings,
    String clockOffset,
    List<DiskFact> disks,
    List<NicFact> interfaces,
    GuestMetadata metadata) {

  /** One {@code <disk>}: the target name is left out, it follows the bus. */
  public record DiskFact(String device, String bus, String serial, String source, boolean readOnly, String bootOrder) {

    /** The disk without its bus, to tell a bus change from any other change. */
    DiskFact withoutBus() {
      return new DiskFact(device, null, serial, source, readOnly, bootOrder);
    }

    /** The disk without its bus and boot position (which moves down one in rescue mode). */
    DiskFact withoutBusAndBootOrder() {
      return new DiskFact(device, null, serial, source, readOnly, null);
    }

    /** Whether this is the rescue disk, attached only while spec.rescue is set. */
    boolean rescue() {
      return GuestDefinition.RESCUE_SERIAL.equals(serial);
    }
  }

  /** One {@code <interface>}. */
  public record NicFact(String type, String source, String mac, String model) {

    NicFact withoutModel() {
      return new NicFact(type, source, mac, null);
    }
  }

  public DomainFacts {
    oemStrings = List.copyOf(oemStrings);
    disks = List.copyOf(disks);
    interfaces = List.copyOf(interfaces);
  }

  /** The defined bus of the disk with this serial, or null when the domain has no such disk. */
  public String busOfSerial(String diskSerial) {
    if (diskSerial == null) {
      return null;
    }
    return disks.stream().filter(d -> diskSerial.equals(d.serial())).map(DiskFact::bus).findFirst().orElse(null);
  }

  public static DomainFacts parse(String domainXml) {
    Element domain = document(domainXml);
    Element os = child(domain, "os");
    Element sysinfo = child(domain, "sysinfo");
    Element devices = child(domain, "devices");
    Element clock = child(domain, "clock");
    List<DiskFact> disks = new ArrayList<>();
    List<NicFact> nics = new ArrayList<>();
    for (Element e : children(devices)) {
      if (e.getLocalName().equals("disk")) {
        disks.add(disk(e));
      } else if (e.getLocalName().equals("interface")) {
        nics.add(new NicFact(attr(e, "type"), source(child(e, "source")), attr(child(e, "mac"), "address"),
            attr(child(e, "model"), "type")));
      }
    }
    List<String> oem = new ArrayList<>();
    children(child(sysinfo, "oemStrings")).forEach(e -> oem.add(e.getTextContent()));
    return new DomainFacts(
        text(child(domain, "uuid")),
        memoryKiB(child(domain, "memory")),
        text(child(domain, "vcpu")),
        attr(child(os, "type"), "machine"),
        kernelBoot(os),
        entry(child(sysinfo, "system"), "serial"),
        entry(child(sysinfo, "chassis"), "serial"),
        oem,
        attr(clock, "offset"),
        disks,
        nics,
        metadata(domainXml));
  }

  private static DiskFact disk(Element e) {
    Element target = child(e, "target");
    return new DiskFact(attr(e, "device"), attr(target, "bus"), text(child(e, "serial")), source(child(e, "source")),
        child(e, "readonly") != null, attr(child(e, "boot"), "order"));
  }

  private static String kernelBoot(Element os) {
    String kernel = text(child(os, "kernel"));
    if (kernel == null) {
      return null;
    }
    return "kernel=" + kernel + ",initrd=" + text(child(os, "initrd")) + ",cmdline=" + text(child(os, "cmdline"));
  }

  /** A source of any kind as one comparable string. */
  private static String source(Element source) {
    if (source == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String name : List.of("pool", "volume", "file", "dev", "network", "bridge")) {
      String value = attr(source, name);
      if (value != null) {
        parts.add(name + "=" + value);
      }
    }
    return String.join(",", parts);
  }

  private static GuestMetadata metadata(String domainXml) {
    try {
      return GuestMetadata.parse(domainXml);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Long memoryKiB(Element memory) {
    String value = text(memory);
    if (value == null) {
      return null;
    }
    try {
      String unit = attr(memory, "unit");
      long factor = switch (unit == null ? "kib" : unit.toLowerCase(Locale.ROOT)) {
        case "b", "bytes" -> 1;
        case "k", "kib" -> 1024;
        case "m", "mib" -> 1024L * 1024;
        case "g", "gib" -> 1024L * 1024 * 1024;
        case "t", "tib" -> 1024L * 1024 * 1024 * 1024;
        default -> -1;
      };
      if (factor < 0) {
        return null;
      }
      return new BigDecimal(value.trim()).multiply(BigDecimal.valueOf(factor))
          .divide(BigDecimal.valueOf(1024), 0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  private static String entry(Element parent, String name) {
    for (Element e : children(parent)) {
      if (e.getLocalName().equals("entry") && name.equals(attr(e, "name"))) {
        return e.getTextContent();
      }
    }
    return null;
  }

  private static Element document(String xml) {
    return XmlReader.parse(xml, "domain XML");
  }

  /** Child elements outside any namespace (libvirt's own elements). */
  private static List<Element> children(Element parent) {
    List<Element> result = new ArrayList<>();
    if (parent != null) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getNamespaceURI() == null) {
          result.add(e);
        }
      }
    }
    return result;
  }

  private static Element child(Element parent, String name) {
    return children(parent).stream().filter(e -> e.getLocalName().equals(name)).findFirst().orElse(null);
  }

  private static String text(Element e) {
    return e == null ? null : e.getTextContent().trim();
  }

  private static String attr(Element e, String name) {
    return e != null && e.hasAttribute(name) ? e.getAttribute(name) : null;
  }
}
