package io.vguest.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vguest.api.v1alpha1.EffectiveDevices;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.devices.DeviceProperty;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vguest devices show NAME [PROPERTY]}. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Print each device property of a guest: the value in its spec, the value of its defined domain "
        + "(status.effectiveDevices) and whether a change is pending until the guest stops.",
        "'-' means unset (the node agent resolves and stamps it) or not defined yet."},
    modelTransformer = DevicesExit.Help.class)
public final class DevicesShowCommand implements Callable<Integer> {

  static final String UNSET = "-";

  @Spec
  CommandSpec command;

  @ParentCommand
  DevicesCommand parent;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the VirtualGuest.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PROPERTY", description = "Show only this property.")
  String property;

  @Override
  public Integer call() {
    return DevicesCommand.execute(command, this::show);
  }

  private DevicesExit show() {
    PrintWriter out = command.commandLine().getOut();
    try (KubernetesClient client = parent.client()) {
      VirtualGuest guest = DevicesCommand.guest(client, parent.namespaceOf(client), name);
      List<DeviceProperty> shown = property == null ? List.of(DeviceProperty.values())
          : List.of(DeviceEdits.property(property));
      String format = "%-14s %-16s %-16s %s%n";
      out.printf(format, "PROPERTY", "SPEC", "EFFECTIVE", "PENDING").flush();
      for (DeviceProperty p : shown) {
        String spec = DeviceEdits.current(guest.getSpec(), p);
        String effective = effective(guest.getStatus(), p);
        out.printf(format, p.property(), spec == null ? UNSET : spec, effective == null ? UNSET : effective,
            pending(guest.getStatus(), p, spec, effective) ? "pending" : "").flush();
      }
      var identity = guest.getSpec().identity;
      if (shown.contains(DeviceProperty.MACHINE_TYPE) && identity != null && identity.machineType != null
          && !identity.machineType.equals(guest.getSpec().machineType)) {
        out.printf("machine type pinned: %s%s%n", identity.machineType, identity.machineTypeFor == null
            ? " (written by hand)" : " (resolved from " + identity.machineTypeFor + "; used on every node until "
            + "spec.machineType changes)").flush();
      }
      Map<String, String> addresses = guest.getSpec().deviceAddresses;
      if (property == null && addresses != null && !addresses.isEmpty()) {
        out.printf("%-40s %s%n", "DEVICE", "ADDRESS (stamped; kept for life)");
        new java.util.TreeMap<>(addresses).forEach((device, address) -> out.printf("%-40s %s%n", device, address));
        out.flush();
      }
      return DevicesExit.OK;
    }
  }

  static String effective(VirtualGuestStatus status, DeviceProperty property) {
    EffectiveDevices effective = status == null ? null : status.effectiveDevices;
    if (effective == null) {
      return null;
    }
    if (property == DeviceProperty.MACHINE_TYPE) {
      return effective.machineType;
    }
    return effective.toChoices(null).asMap().get(property.property());
  }

  /**
   * Pending when the agent says so (status.pendingChanges names the field), or when the spec holds a
   * value the defined domain does not have yet. A machine type alias ({@code q35}) is not compared
   * with the versioned type it resolved to; only the agent's list counts for it.
   */
  static boolean pending(VirtualGuestStatus status, DeviceProperty property, String spec, String effective) {
    if (status != null && status.pendingChanges != null && status.pendingChanges.contains(property.field())) {
      return true;
    }
    return property != DeviceProperty.MACHINE_TYPE && spec != null && effective != null
        && !Objects.equals(spec, effective);
  }
}
