package io.vguest.reconcile;

import io.vguest.domain.LibvirtVersion;
import io.vguest.domain.xml.HostCapabilities;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.DefinitionBuilder.HostSerialSource;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.HostFacts;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads what the pure code needs to know about a node (machine type aliases, the node's serial, its
 * libvirt version) through the {@link Hypervisor} port, once, so that rendering stays free of I/O.
 * The adapter hands over libvirt's capabilities XML as it is; the domain model reads it.
 */
public final class NodeFactsReader {

  private NodeFactsReader() {}

  public static NodeFacts read(Hypervisor hypervisor, String nodeName, Path machineIdFile, HostSerialSource source) {
    HostFacts host = hypervisor.hostFacts();
    String machineId = readMachineId(machineIdFile);
    String hostSerial = DefinitionBuilder.hostSerial(machineId, host.hostUuid().orElse(null), source).orElse(null);
    return new NodeFacts(nodeName, hostSerial, LibvirtVersion.number(host.daemonVersion()),
        capabilities(hypervisor.hostCapabilitiesXml()).machineAliases());
  }

  /** The content of the machine-id file, or null when it is missing or unreadable (reported, not fatal). */
  static String readMachineId(Path file) {
    if (file == null) {
      return null;
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static HostCapabilities capabilities(String xml) {
    try {
      return HostCapabilities.parse(xml);
    } catch (IllegalArgumentException e) {
      throw new HypervisorException(HypervisorException.Kind.OTHER, "unreadable capabilities: " + e.getMessage(), null,
          e);
    }
  }
}
