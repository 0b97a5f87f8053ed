package io.vguest.libvirt;

import io.vguest.identity.HostSerialSource;
import io.vguest.guest.NodeFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import io.vguest.domain.xml.XmlReader;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads what the pure code needs to know about a node (machine type aliases, the node's serial, its
 * libvirt version) through the {@link Hypervisor} port, once, so that rendering stays free of I/O.
 */
public final class NodeFactsReader {

  private NodeFactsReader() {}

  public static NodeFacts read(Hypervisor hypervisor, String nodeName, Path machineIdFile, HostSerialSource source) {
    HostFacts host = hypervisor.hostFacts();
    String machineId = readMachineId(machineIdFile);
    String hostSerial = source.serial(machineId, host.hostUuid().orElse(null)).orElse(null);
    return new NodeFacts(nodeName, hostSerial, versionNumber(host.daemonVersion()),
        machineAliases(hypervisor.hostCapabilitiesXml()));
  }

  /** The content of the machine-id file, or null when it is missing or unreadable (reported, not fatal). */
  static String readMachineId(Path file) {
    if (file == null) {
      return null;
    }
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** "9.0.0" to 9000000, libvirt's own version encoding; 0 when unreadable. */
  static long versionNumber(String version) {
    String[] parts = version.split("\\.");
    long number = 0;
    for (int i = 0; i < 3; i++) {
      number *= 1000;
      if (i < parts.length) {
        try {
          number += Long.parseLong(parts[i].replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return number;
  }

  /**
   * Machine type aliases of x86_64 guests from libvirt's capabilities:
   * {@code <machine canonical='pc-q35-7.2'>q35</machine>} gives q35 to pc-q35-7.2.
   */
  static Map<String, String> machineAliases(String capabilitiesXml) {
    Map<String, String> aliases = new LinkedHashMap<>();
    try {
      for (Element machine : x86Machines(capabilitiesXml)) {
        String canonical = machine.getAttribute("canonical");
        if (!canonical.isEmpty()) {
          aliases.putIfAbsent(machine.getTextContent().trim(), canonical);
        }
      }
    } catch (Exception e) {
      throw new HypervisorException(HypervisorException.Kind.OTHER, "unreadable capabilities: " + e.getMessage(), null, e);
    }
    return aliases;
  }

  /** The {@code <machine>} elements of x86_64 guests in libvirt's host capabilities. */
  static java.util.List<Element> x86Machines(String capabilitiesXml) {
    java.util.List<Element> found = new java.util.ArrayList<>();
    Element root = XmlReader.parse(capabilitiesXml, "capabilities");
    NodeList arches = root.getElementsByTagName("arch");
    for (int i = 0; i < arches.getLength(); i++) {
      Element arch = (Element) arches.item(i);
      if ("x86_64".equals(arch.getAttribute("name"))) {
        NodeList machines = arch.getElementsByTagName("machine");
        for (int j = 0; j < machines.getLength(); j++) {
          found.add((Element) machines.item(j));
        }
      }
    }
    return found;
  }
}
