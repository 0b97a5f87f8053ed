package io.vguest.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.cli.DevicesCommand.Failure;
import io.vguest.devices.DeviceProperty;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vguest devices set NAME --property k=v ... [--when-stopped]}. */
@Command(name = "set", mixinStandardHelpOptions = true,
    description = {"Change device choices of a guest, checked in this order:",
        "  1. the guest exists (exit 8)",
        "  2. every --property argument is k=v (exit 4)",
        "  3. the property is known (exit 5)",
        "  4. the value is allowed for it (exit 6) and fits the guest's other devices, disks and machine type "
            + "(exit 7)",
        "  5. the guest is stopped, unless --when-stopped is given (exit 3)",
        "The node agent applies the change when the guest is stopped."},
    modelTransformer = DevicesExit.Help.class)
public final class DevicesSetCommand implements Callable<Integer> {

  @Spec
  CommandSpec command;

  @ParentCommand
  DevicesCommand parent;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the VirtualGuest.")
  String name;

  @Option(names = {"-p", "--property"}, required = true, paramLabel = "PROPERTY=VALUE",
      description = "A property and its new value, e.g. diskBus=scsi (repeatable).")
  List<String> properties;

  @Option(names = "--when-stopped", description = "Write the change even though the guest is running; it stays "
      + "pending (status.pendingChanges, condition RestartRequired) until the guest stops.")
  boolean whenStopped;

  @Override
  public Integer call() {
    return DevicesCommand.execute(command, this::set);
  }

  private DevicesExit set() {
    PrintWriter out = command.commandLine().getOut();
    try (KubernetesClient client = parent.client()) {
      String namespace = parent.namespaceOf(client);
      VirtualGuest guest = DevicesCommand.guest(client, namespace, name);
      Map<String, String> arguments = DeviceEdits.keyValues(properties);
      Map<DeviceProperty, String> changes = new LinkedHashMap<>();
      arguments.forEach((key, value) -> changes.put(DeviceEdits.property(key), value));
      changes.forEach(DeviceEdits::allowed);
      DeviceEdits.compatible(guest.getSpec(), changes);
      boolean stopped = DeviceEdits.stopped(guest);
      if (!stopped && !whenStopped) {
        throw new Failure(DevicesExit.GUEST_RUNNING, "virtualguest " + namespace + "/" + name + " is "
            + DeviceEdits.state(guest) + "; stop it first, or pass --when-stopped to apply the change at its next "
            + "stop");
      }
      changes.entrySet().removeIf(e -> Objects.equals(DeviceEdits.current(guest.getSpec(), e.getKey()), e.getValue()));
      if (changes.isEmpty()) {
        out.println("virtualguest " + namespace + "/" + name + ": unchanged (already set)");
        return DevicesExit.OK;
      }
      write(client, namespace, guest, changes);
      for (Map.Entry<DeviceProperty, String> change : changes.entrySet()) {
        String old = DeviceEdits.current(guest.getSpec(), change.getKey());
        out.println("virtualguest " + namespace + "/" + name + ": " + change.getKey().field() + " set to "
            + change.getValue() + (old == null ? "" : " (was " + old + ")"));
      }
      out.println(stopped ? "The node agent applies it before the guest next starts."
          : "The guest is " + DeviceEdits.state(guest) + ": the change is pending until it stops.");
      return DevicesExit.OK;
    }
  }

  private void write(KubernetesClient client, String namespace, VirtualGuest guest,
      Map<DeviceProperty, String> changes) {
    ArrayNode jsonPatch = DeviceEdits.jsonPatch(guest.getSpec(), changes);
    PatchContext context = new PatchContext.Builder()
        .withPatchType(jsonPatch != null ? PatchType.JSON : PatchType.JSON_MERGE)
        .withFieldManager(DevicesCommand.FIELD_MANAGER)
        .build();
    String patch = jsonPatch != null ? jsonPatch.toString() : DeviceEdits.mergePatch(changes).toString();
    patch(client, namespace, name, context, patch);
  }

  /** Sends a patch; a refusal (conflict, failed test, schema) is exit 9. */
  static void patch(KubernetesClient client, String namespace, String name, PatchContext context, String patch) {
    try {
      client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).patch(context, patch);
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      if (code == 409 || code == 422 || code == 400) {
        throw new Failure(DevicesExit.REJECTED, "the API server refused the change to virtualguest " + namespace
            + "/" + name + " (" + code + "): " + DevicesCommand.apiMessage(e)
            + "; if the guest changed meanwhile, run the command again");
      }
      if (code == 404) {
        throw new Failure(DevicesExit.GUEST_NOT_FOUND, "virtualguest \"" + name + "\" not found in namespace "
            + namespace + " (deleted meanwhile)");
      }
      throw e;
    }
  }
}
