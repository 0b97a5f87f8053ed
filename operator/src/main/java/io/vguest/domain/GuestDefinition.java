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
 * @param rescue in rescue mode the disk the guest boots from, attached ahead of its own disks; else null
 * @param firmware BIOS or UEFI, Secure Boot, NVRAM and TPM
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
    GuestMetadata metadata,
    DiskDefinition rescue,
    FirmwareDefinition firmware) {

  /**
   * Serial of the rescue disk: the rescue system finds it as {@code /dev/disk/by-id/*-vguest-rescue}
   * and vguest tells it from the guest's own disks by it. Short enough to arrive whole on every bus.
   */
  public static final String RESCUE_SERIAL = "vguest-rescue";

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
    Objects.requireNonNull(firmware, "firmware");
    if (!devices.complete()) {
      throw new IllegalArgumentException("device choices unresolved: " + devices.unset());
    }
    disks = List.copyOf(disks);
    interfaces = List.copyOf(interfaces);
  }

  /** A BIOS guest without a TPM. */
  public GuestDefinition(String domainName, VirtType virtType, String uuid, int vcpus, long memoryKiB, Smbios smbios,
      DirectKernelBoot kernelBoot, ClockOffset clockOffset, List<DiskDefinition> disks,
      List<InterfaceDefinition> interfaces, DeviceChoices devices, String consoleLogPath, GuestMetadata metadata,
      DiskDefinition rescue) {
    this(domainName, virtType, uuid, vcpus, memoryKiB, smbios, kernelBoot, clockOffset, disks, interfaces, devices,
        consoleLogPath, metadata, rescue, FirmwareDefinition.BIOS);
  }

  /** A guest that boots from its disks, in its normal (not rescue) mode. */
  public GuestDefinition(String domainName, VirtType virtType, String uuid, int vcpus, long memoryKiB, Smbios smbios,
      ClockOffset clockOffset, List<DiskDefinition> disks, List<InterfaceDefinition> interfaces,
      DeviceChoices devices, String consoleLogPath, GuestMetadata metadata) {
    this(domainName, virtType, uuid, vcpus, memoryKiB, smbios, null, clockOffset, disks, interfaces, devices,
        consoleLogPath, metadata, null);
  }

  public String machineType() {
    return devices.machineType();
  }

  /** Stamped device addresses by device key, kept with the identity values in the metadata. */
  public java.util.SortedMap<String, String> deviceAddresses() {
    return metadata.identity() == null ? new java.util.TreeMap<>() : metadata.identity().deviceAddresses();
  }

  /** The same guest with other stamped device addresses (those libvirt gave it, read back after a define). */
  public GuestDefinition withDeviceAddresses(java.util.SortedMap<String, String> addresses) {
    return new GuestDefinition(domainName, virtType, uuid, vcpus, memoryKiB, smbios, kernelBoot, clockOffset, disks,
        interfaces, devices, consoleLogPath, metadata.withDeviceAddresses(addresses), rescue, firmware);
  }

  /** The VM generation ID, kept with the other identity values in the metadata; null for none. */
  public String generationId() {
    return metadata.identity() == null ? null : metadata.identity().generationId();
  }
}
