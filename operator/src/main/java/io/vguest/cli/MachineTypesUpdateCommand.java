package io.vguest.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.cli.DevicesCommand.Failure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vguest machine-types update -l SELECTOR --to TYPE [-n NS | -A] [--dry-run]}. */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = {"Set spec.machineType of every matching stopped guest, each with the checks of "
        + "'vguest devices set NAME --property machineType=TYPE':",
        "  1. TYPE is a machine type or alias (exit 6; then nothing is changed)",
        "  2. it fits the guest's disks and devices (exit 7)",
        "  3. the guest is stopped: Stopped, Crashed or not defined yet (exit 3)",
        "  4. the API server takes the guarded patch (exit 9)",
        "A guest that fails a check is named and left as it is; the others are changed. The exit code is the "
            + "lowest of the failed checks' codes (0 when none failed; 8 when no guest matches). The node agent "
            + "pins the new type when it next defines each guest."},
    modelTransformer = MachineTypesCommand.Help.class)
public final class MachineTypesUpdateCommand implements Callable<Integer> {

  @Spec
  CommandSpec command;

  @ParentCommand
  MachineTypesCommand parent;

  @Option(names = "--to", required = true, paramLabel = "TYPE",
      description = "The new machine type: versioned (pc-q35-7.2, pinned as it is) or an alias (q35, pinned to "
          + "what it means on the guest's node when the guest is next defined).")
  String to;

  @Option(names = "--dry-run", description = "Check every guest and have the API server check every patch; "
      + "change nothing.")
  boolean dryRun;

  /** Whether the guest's pin was made for the request {@code to} and is another type (an alias pinned long ago). */
  private static boolean stillPinned(VirtualGuest guest, String to) {
    var identity = guest.getSpec().identity;
    return identity != null && identity.machineType != null && !identity.machineType.equals(to)
        && to.equals(identity.machineTypeFor);
  }

  @Override
  public Integer call() {
    return DevicesCommand.execute(command, this::update);
  }

  private DevicesExit update() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (parent.selector == null || parent.selector.isBlank()) {
      throw new Failure(DevicesExit.USAGE, "update needs a label selector (-l SELECTOR), so that it changes only "
          + "the guests you chose: label them (kubectl label vg NAME KEY=VALUE), and see them first with "
          + "'vguest machine-types list -l SELECTOR'");
    }
    MachineTypeChange.allowed(to);
    try (KubernetesClient client = parent.client()) {
      List<VirtualGuest> guests = parent.guests(client);
      if (guests.isEmpty()) {
        throw new Failure(DevicesExit.GUEST_NOT_FOUND, "no VirtualGuest in " + parent.scope(client)
            + " matches the selector " + parent.selector);
      }
      int changed = 0;
      Map<DevicesExit, List<String>> refused = new TreeMap<>();
      for (VirtualGuest guest : guests) {
        String key = guest.getMetadata().getNamespace() + "/" + guest.getMetadata().getName();
        String was = guest.getSpec().machineType;
        String pinned = MachineTypesListCommand.pinned(guest);
        try {
          if (MachineTypeChange.apply(client, guest, to, dryRun) == MachineTypeChange.Result.UNCHANGED) {
            out.println(key + ": unchanged (spec.machineType is already " + to + (stillPinned(guest, to)
                ? "; pinned " + pinned + " when it was first defined: give a versioned type to move it" : "") + ")");
            continue;
          }
          changed++;
          out.println(key + ": " + (dryRun ? "would set" : "set") + " spec.machineType to " + to + " (was "
              + (was == null ? "unset" : was) + (pinned == null || pinned.equals(was) ? "" : ", pinned " + pinned)
              + ")");
        } catch (Failure f) {
          String why = f.getMessage().replaceAll("\\s*\\n\\s*", " ");
          out.println(key + ": not changed: " + why);
          refused.computeIfAbsent(f.exit, e -> new ArrayList<>()).add(key + (f.exit == DevicesExit.GUEST_RUNNING
              ? " (" + DeviceEdits.state(guest) + ")" : ""));
        }
      }
      out.println((dryRun ? "Dry run: would change " : "Changed ") + changed + " of " + guests.size() + " guests"
          + (changed > 0 && !dryRun ? "; the node agents pin the new type before each next starts." : "."));
      out.flush();
      if (refused.isEmpty()) {
        return DevicesExit.OK;
      }
      List<String> running = refused.get(DevicesExit.GUEST_RUNNING);
      if (running != null) {
        err.println("error: " + running.size() + (running.size() == 1 ? " guest is" : " guests are")
            + " not stopped and " + (running.size() == 1 ? "was" : "were") + " not changed: "
            + String.join(", ", running) + "; stop " + (running.size() == 1 ? "it" : "them")
            + " and run the command again");
      }
      refused.forEach((exit, keys) -> {
        if (exit != DevicesExit.GUEST_RUNNING) {
          err.println("error: not changed (exit " + exit.code() + ", " + exit.meaning() + "): " + String.join(", ",
              keys));
        }
      });
      return refused.keySet().iterator().next();
    }
  }
}
