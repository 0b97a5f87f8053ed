package io.vguest.devices;

import io.vguest.devices.DiskRole.DeviceKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a guest's device usage against what one node's hypervisor offers for its machine type
 * (libvirt's domain capabilities). Only what libvirt reports is checked; the rules that hold on
 * every node are {@link DeviceRules}. Each problem names the field, the value and what this node
 * offers instead (only values vguest's catalogue allows for that field are offered).
 */
public final class NodeDeviceCheck {

  /** QEMU 8.0, the first with the igb NIC. */
  public static final long IGB_MIN_QEMU_VERSION = 8_000_000L;

  private NodeDeviceCheck() {}

  /**
   * @param qemuVersion the node's QEMU version as major * 1,000,000 + minor * 1,000 + micro, 0 if unknown
   */
  public static List<DeviceProblem> check(DomainCapabilities caps, long qemuVersion, DeviceUsage usage) {
    Set<DeviceProblem> problems = new LinkedHashSet<>();
    DeviceChoices devices = usage.devices();
    String where = " on this node (machine type " + caps.machine() + ", " + caps.domainType() + ")";
    drive(problems, caps, where, "spec.devices.diskBus", DeviceKind.DISK, devices.diskBus());
    drive(problems, caps, where, "spec.devices.cdromBus", DeviceKind.CDROM, devices.cdromBus());
    drive(problems, caps, where, "spec.devices.floppyBus", DeviceKind.FLOPPY, devices.floppyBus());
    drive(problems, caps, where, "spec.devices.rescueBus", DeviceKind.DISK, devices.rescueBus());
    for (DeviceUsage.Drive d : usage.drives()) {
      drive(problems, caps, where, d.busField(), d.kind(), d.bus());
    }
    if (devices.videoModel() != null) {
      offered(problems, "spec.devices.videoModel", devices.videoModel().value(), "video models", where,
          caps.videoModels(), DeviceChoice.allowedValues(VideoModel.class));
    }
    if (devices.rngModel() != null && devices.rngModel() != RngModel.NONE) {
      int before = problems.size();
      offered(problems, "spec.devices.rngModel", devices.rngModel().value(), "RNG models", where,
          caps.rngModels(), DeviceChoice.allowedValues(RngModel.class));
      Optional<List<String>> backends = caps.rngBackends();
      if (problems.size() == before && backends.isPresent() && !backends.get().contains("random")) {
        problems.add(new DeviceProblem("spec.devices.rngModel", devices.rngModel().value(), "Unsupported value: \""
            + devices.rngModel().value() + "\": no random (/dev/urandom) RNG backend" + where + "; use none"));
      }
    }
    if (devices.inputBus() != null) {
      offered(problems, "spec.devices.inputBus", devices.inputBus().value(), "input buses", where,
          caps.inputBuses(), DeviceChoice.allowedValues(InputBus.class));
    }
    nic(problems, caps, qemuVersion, where, "spec.devices.vifModel", devices.vifModel());
    for (DeviceUsage.Nic n : usage.nics()) {
      nic(problems, caps, qemuVersion, where, n.modelField(), n.model());
    }
    return List.copyOf(problems);
  }

  private static void drive(Set<DeviceProblem> problems, DomainCapabilities caps, String where, String field,
      DeviceKind kind, DiskBus bus) {
    if (bus == null) {
      return;
    }
    Optional<List<String>> kinds = caps.diskDevices();
    if (kinds.isPresent() && !kinds.get().contains(kind.xml())) {
      problems.add(new DeviceProblem(field, bus.value(), "Unsupported value: \"" + bus.value() + "\": no "
          + kind.xml() + " drives" + where));
      return;
    }
    List<String> catalogue = new ArrayList<>();
    for (DiskBus candidate : DiskBus.values()) {
      if (DeviceRules.driveProblems(field, kind, candidate, caps.machine()).isEmpty()) {
        catalogue.add(candidate.value());
      }
    }
    if (!catalogue.contains(bus.value())) {
      return; // a static rule refuses it already, with its own message
    }
    offered(problems, field, bus.value(), kind.xml() + " buses", where, caps.diskBuses(), catalogue);
  }

  private static void nic(Set<DeviceProblem> problems, DomainCapabilities caps, long qemuVersion, String where,
      String field, VifModel model) {
    if (model == null) {
      return;
    }
    offered(problems, field, model.value(), "NIC models", where, caps.interfaceModels(),
        DeviceChoice.allowedValues(VifModel.class));
    if (model == VifModel.IGB && qemuVersion > 0 && qemuVersion < IGB_MIN_QEMU_VERSION) {
      problems.add(new DeviceProblem(field, model.value(), "Unsupported value: \"igb\": needs QEMU 8.0 or newer, this "
          + "node has QEMU " + version(qemuVersion) + "; use e1000e, e1000, virtio or rtl8139"));
    }
  }

  /** Adds a problem when the node lists values for this enum and the value is not among them. */
  private static void offered(Set<DeviceProblem> problems, String field, String value, String what, String where,
      Optional<List<String>> node, List<String> catalogue) {
    if (node.isEmpty() || node.get().contains(value)) {
      return;
    }
    List<String> both = catalogue.stream().filter(node.get()::contains).toList();
    String offer = both.isEmpty() ? "none" : String.join(", ", both);
    problems.add(new DeviceProblem(field, value, "Unsupported value: \"" + value + "\": not offered" + where
        + "; " + what + " this node offers: " + offer));
  }

  static String version(long version) {
    return (version / 1_000_000) + "." + (version / 1_000 % 1_000) + "." + (version % 1_000);
  }
}
