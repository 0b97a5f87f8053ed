package io.vguest.domain;

import io.vguest.devices.DeviceChoices;
import java.util.List;
import java.util.Objects;

/**
 * Everything the renderer needs, resolved: no defaults are left to apply and no I/O is needed.
 * Built from a stamped VirtualGuest plus facts about the node.
 *
 * @param domainName libvirt domain name, unique per node
 * @param devices complete device choices (input bus, pointer, RNG, SCSI and video models are read here;
 *     disk and NIC choices are already applied to each disk and interface)
 * @param kernelBoot direct kernel boot with resolved paths, or null to boot from the disks
 * @param consoleLogPath file the serial console is written to, or null for a pty console
 */
public record GuestDefinition(
    String domainName,
    VirtType virtType,
    String uuid,
    int vcpus,
    long memoryKiB,
    Smbios smbios,
    DirectKernelBoot kernelBoot,
    ClockOffset clockOffset,
    List<DiskDefinition> disks,
    List<InterfaceDefinition> interfaces,
    DeviceChoices devices,
    String consoleLogPath,
    GuestMetadata metadata) {

  /** How the guest's RTC relates to the host clock; Windows expects local time. */
  public enum ClockOffset {
    UTC("utc"), LOCALTIME("localtime");

    private final String xml;

    ClockOffset(String xml) {
      this.xml = xml;
    }

    public String xml() {
      return xml;
    }
  }

  public GuestDefinition {
    Objects.requireNonNull(domainName, "domainName");
    Objects.requireNonNull(virtType, "virtType");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(smbios, "smbios");
    Objects.requireNonNull(clockOffset, "clockOffset");
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(metadata, "metadata");
    if (!devices.complete()) {
      throw new IllegalArgumentException("device choices unresolved: " + devices.unset());
    }
    disks = List.copyOf(disks);
    interfaces = List.copyOf(interfaces);
  }

  public String machineType() {
    return devices.machineType();
  }
}
