package io.vguest.guest;

import java.util.Map;
import java.util.Objects;

/**
 * What the renderer needs to know about the node, read by the libvirt adapter (or given on the
 * command line) before any pure code runs.
 *
 * @param hostSerial the node's serial for the host policy and the chassis serial, or null when
 *     the node has none that can be read (then host-policy guests get a condition, not a guess)
 * @param libvirtVersion the node's libvirt version as major * 1,000,000 + minor * 1,000 + micro, 0 if unknown
 * @param machineAliases machine type aliases (q35, pc) to the node's versioned types
 */
public record NodeFacts(String nodeName, String hostSerial, long libvirtVersion, Map<String, String> machineAliases) {

  /** libvirt 4.1.0, the first to put a chassis serial into SMBIOS. */
  public static final long CHASSIS_SERIAL_MIN_VERSION = 4_001_000L;

  public NodeFacts {
    Objects.requireNonNull(nodeName, "nodeName");
    machineAliases = Map.copyOf(machineAliases);
  }

  public boolean supportsChassisSerial() {
    return libvirtVersion >= CHASSIS_SERIAL_MIN_VERSION;
  }
}
