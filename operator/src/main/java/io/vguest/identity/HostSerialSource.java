package io.vguest.identity;

import java.util.Optional;

/**
 * Where a node's serial is read from, like Nova's sysinfo_serial os / hardware / auto; a guest
 * with serial policy host shows it as its SMBIOS serial.
 */
public enum HostSerialSource {
  /** The node's /etc/machine-id, as a UUID. */
  OS,
  /** The host's SMBIOS uuid, as libvirt reports it. */
  HARDWARE,
  /** machine-id when usable, else the host uuid. */
  AUTO;

  /**
   * The serial a host-policy guest gets on a node from this source, or empty when the source has
   * none (machine-id missing or malformed, no host uuid).
   *
   * @param machineIdFile the content of the node's /etc/machine-id, or null
   * @param hostUuid the host's uuid from libvirt's capabilities, or null
   */
  public Optional<String> serial(String machineIdFile, String hostUuid) {
    Optional<String> machineId = MachineId.toUuid(machineIdFile);
    Optional<String> uuid = Optional.ofNullable(hostUuid).filter(u -> !u.isBlank());
    return switch (this) {
      case OS -> machineId;
      case HARDWARE -> uuid;
      case AUTO -> machineId.isPresent() ? machineId : uuid;
    };
  }
}
