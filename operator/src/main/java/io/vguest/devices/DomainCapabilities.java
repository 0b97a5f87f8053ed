package io.vguest.devices;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node's hypervisor offers a guest of one machine type and virt type, as libvirt reports it
 * ({@code virsh domcapabilities --machine q35 --virttype qemu}). Only the parts vguest checks are
 * kept: the canonical machine type an alias stands for and the value lists under {@code <devices>}.
 *
 * <p>libvirt does not list everything: as of libvirt 9.0 it names disk buses and devices, video
 * models and RNG models and backends, but no input buses, NIC models or SCSI controller models.
 * {@link #values} says "unknown" (empty) for what is not listed, so callers check only what the
 * node really reported.
 *
 * @param emulator the QEMU binary, e.g. {@code /usr/bin/qemu-system-x86_64}
 * @param domainType {@code qemu} or {@code kvm}
 * @param machine the canonical (versioned) machine type, e.g. {@code pc-q35-7.2} for {@code q35}
 * @param arch guest architecture, e.g. {@code x86_64}
 * @param devices by element name under {@code <devices>} ({@code disk}, {@code video}, {@code rng}, {@code tpm}, ...)
 * @param os the firmware the node can autoselect, or null when libvirt reports no {@code <os>}
 */
public record DomainCapabilities(
    String emulator,
    String domainType,
    String machine,
    String arch,
    Map<String, DeviceCapability> devices,
    FirmwareCapabilities os) {

  public DomainCapabilities(String emulator, String domainType, String machine, String arch,
      Map<String, DeviceCapability> devices) {
    this(emulator, domainType, machine, arch, devices, null);
  }

  /**
   * One device element: whether the hypervisor supports it at all, and its value lists.
   *
   * @param enums by enum name ({@code bus}, {@code modelType}, ...) the values libvirt lists, in its order
   */
  public record DeviceCapability(boolean supported, Map<String, List<String>> enums) {
    public DeviceCapability {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      enums.forEach((name, values) -> copy.put(name, List.copyOf(values)));
      enums = Collections.unmodifiableMap(copy);
    }
  }

  public DomainCapabilities {
    Objects.requireNonNull(machine, "machine");
    devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
  }

  /**
   * The values the node offers for one enum of one device: empty when libvirt does not report
   * the device or the enum (unknown: do not check), an empty list when the device is reported as
   * unsupported.
   */
  public Optional<List<String>> values(String device, String enumName) {
    DeviceCapability capability = devices.get(device);
    if (capability == null) {
      return Optional.empty();
    }
    if (!capability.supported()) {
      return Optional.of(List.of());
    }
    return Optional.ofNullable(capability.enums().get(enumName));
  }

  /** Buses a drive may be attached to ({@code <disk><enum name='bus'>}). */
  public Optional<List<String>> diskBuses() {
    return values("disk", "bus");
  }

  /** Kinds of drive: disk, cdrom, floppy, lun ({@code <disk><enum name='diskDevice'>}). */
  public Optional<List<String>> diskDevices() {
    return values("disk", "diskDevice");
  }

  public Optional<List<String>> videoModels() {
    return values("video", "modelType");
  }

  public Optional<List<String>> rngModels() {
    return values("rng", "model");
  }

  public Optional<List<String>> rngBackends() {
    return values("rng", "backendModel");
  }

  /** Input buses, where a libvirt lists them ({@code <input><enum name='bus'>}); libvirt 9.0 does not. */
  public Optional<List<String>> inputBuses() {
    return values("input", "bus");
  }

  /** NIC models, where a libvirt lists them ({@code <interface><enum name='model'>}); libvirt 9.0 does not. */
  public Optional<List<String>> interfaceModels() {
    return values("interface", "model");
  }
}
