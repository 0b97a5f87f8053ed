package io.vguest.domain.xml;

import io.vguest.domain.OfferedMachineTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The parts of libvirt's host capabilities ({@code virConnectGetCapabilities}, {@code virsh
 * capabilities}) vguest uses: the host uuid and the machine types QEMU offers x86_64 guests, each
 * with the versioned type an alias stands for and whether QEMU marks it deprecated.
 *
 * @param hostUuid {@code <host><uuid>}, or null when the driver reports none (the test driver)
 * @param x86Machines the {@code <machine>} elements of the x86_64 guests, in document order
 */
public record HostCapabilities(String hostUuid, List<Machine> x86Machines) {

  static final String X86_64 = "x86_64";

  /**
   * One {@code <machine>}: {@code <machine canonical='pc-q35-7.2'>q35</machine>} is the alias q35
   * of pc-q35-7.2; {@code <machine deprecated='yes'>pc-i440fx-1.5</machine>} a deprecated type.
   *
   * @param canonical the versioned type this alias stands for, or null for a versioned type
   */
  public record Machine(String name, String canonical, boolean deprecated) {
    public Machine {
      Objects.requireNonNull(name, "name");
    }
  }

  public HostCapabilities {
    x86Machines = List.copyOf(x86Machines);
  }

  /** @throws IllegalArgumentException when the XML is unreadable or not host capabilities */
  public static HostCapabilities parse(String xml) {
    XmlElement root = XmlElement.parse(xml, "capabilities");
    if (!"capabilities".equals(root.name())) {
      throw new IllegalArgumentException("unreadable capabilities: root element is <" + root.name()
          + ">, expected <capabilities>");
    }
    XmlElement host = root.child("host");
    String uuid = host == null ? null : host.childText("uuid");
    List<Machine> machines = new ArrayList<>();
    for (XmlElement guest : root.children("guest")) {
      for (XmlElement arch : guest.children("arch")) {
        if (X86_64.equals(arch.attr("name"))) {
          machines(arch, machines);
          // older libvirt lists a domain type's own machines inside its <domain>
          arch.children("domain").forEach(domain -> machines(domain, machines));
        }
      }
    }
    return new HostCapabilities(uuid == null ? null : uuid.trim(), machines);
  }

  private static void machines(XmlElement parent, List<Machine> machines) {
    for (XmlElement m : parent.children("machine")) {
      String canonical = m.attr("canonical");
      machines.add(new Machine(m.text().trim(), canonical == null || canonical.isEmpty() ? null : canonical,
          "yes".equals(m.attr("deprecated"))));
    }
  }

  /** Writes the parts {@link #parse} reads, nested as libvirt nests them. */
  public String toXml() {
    XmlWriter xml = new XmlWriter();
    xml.start("capabilities");
    xml.start("host");
    xml.text("uuid", hostUuid);
    xml.end();
    xml.start("guest");
    xml.text("os_type", "hvm");
    xml.start("arch", "name", X86_64);
    x86Machines.forEach(m -> xml.text("machine", m.name(), "canonical", m.canonical(),
        "deprecated", m.deprecated() ? "yes" : null));
    xml.end();
    xml.end();
    xml.end();
    return xml.toXml();
  }

  /** Machine type aliases (q35, pc) to the versioned types they stand for; the first listing wins. */
  public Map<String, String> machineAliases() {
    Map<String, String> aliases = new LinkedHashMap<>();
    x86Machines.stream().filter(m -> m.canonical() != null).forEach(m -> aliases.putIfAbsent(m.name(), m.canonical()));
    return aliases;
  }

  /** Every x86_64 machine type offered (sorted, aliases included) and the deprecated ones. */
  public OfferedMachineTypes offeredMachineTypes() {
    TreeSet<String> all = new TreeSet<>();
    TreeSet<String> deprecated = new TreeSet<>();
    for (Machine m : x86Machines) {
      all.add(m.name());
      if (m.deprecated()) {
        deprecated.add(m.name());
      }
    }
    return new OfferedMachineTypes(new ArrayList<>(all), new ArrayList<>(deprecated));
  }
}
