package io.vguest.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.MachineTypeDeprecation;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vguest machine-types list [-n NS | -A] [-l SELECTOR] [--deprecated] [--unpinned]}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Print the machine type of each matching guest: the one its spec asks for, the versioned type "
        + "pinned when it was first defined (and the request it was resolved from), its node and state, and "
        + "whether that node's QEMU deprecates it (condition MachineTypeDeprecated).",
        "'-' means unset: not pinned yet (never defined, or on a node that cannot resolve aliases)."},
    modelTransformer = MachineTypesCommand.Help.class)
public final class MachineTypesListCommand implements Callable<Integer> {

  static final String FORMAT = "%-16s %-24s %-16s %-16s %-16s %-12s %-9s %s%n";

  @Spec
  CommandSpec command;

  @ParentCommand
  MachineTypesCommand parent;

  @Option(names = {"--deprecated", "--deprecated-on-node"},
      description = "Only guests whose node's QEMU deprecates their machine type.")
  boolean deprecated;

  @Option(names = "--unpinned", description = "Only guests without a pinned machine type "
      + "(spec.identity.machineType unset).")
  boolean unpinned;

  @Override
  public Integer call() {
    return DevicesCommand.execute(command, this::list);
  }

  private DevicesExit list() {
    PrintWriter out = command.commandLine().getOut();
    try (KubernetesClient client = parent.client()) {
      List<VirtualGuest> shown = parent.guests(client).stream()
          .filter(g -> !deprecated || MachineTypeDeprecation.reported(g.getStatus()))
          .filter(g -> !unpinned || pinned(g) == null)
          .toList();
      if (shown.isEmpty()) {
        command.commandLine().getErr().println("No matching VirtualGuests in " + parent.scope(client) + ".");
        return DevicesExit.OK;
      }
      out.printf(FORMAT, "NAMESPACE", "NAME", "MACHINETYPE", "PINNED", "PINNED-FOR", "NODE", "STATE", "DEPRECATED");
      for (VirtualGuest g : shown) {
        var identity = g.getSpec().identity;
        var status = g.getStatus();
        out.printf(FORMAT, g.getMetadata().getNamespace(), g.getMetadata().getName(), dash(g.getSpec().machineType),
            dash(pinned(g)), dash(identity == null ? null : identity.machineTypeFor),
            dash(status != null && status.node != null ? status.node : g.getSpec().nodeName),
            DeviceEdits.state(g), MachineTypeDeprecation.reported(status) ? "yes" : "-");
      }
      return DevicesExit.OK;
    }
  }

  static String pinned(VirtualGuest guest) {
    return guest.getSpec().identity == null ? null : guest.getSpec().identity.machineType;
  }

  private static String dash(String value) {
    return value == null ? DevicesShowCommand.UNSET : value;
  }
}
