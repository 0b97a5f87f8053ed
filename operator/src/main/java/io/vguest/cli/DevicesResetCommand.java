package io.vguest.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.cli.DevicesCommand.Failure;
import io.vguest.devices.DeviceProperty;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vguest devices reset NAME PROPERTY [--when-stopped]}. */
@Command(name = "reset", mixinStandardHelpOptions = true,
    description = {"Clear a device choice from the guest's spec, so that the node agent resolves it again from the "
        + "guest's profile and OS-family defaults as they are now, and stamps the result.",
        "Checked in this order: the guest exists (exit 8); the property is known (exit 5); the guest is stopped, "
            + "unless --when-stopped is given (exit 3)."},
    modelTransformer = DevicesExit.Help.class)
public final class DevicesResetCommand implements Callable<Integer> {

  @Spec
  CommandSpec command;

  @ParentCommand
  DevicesCommand parent;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the VirtualGuest.")
  String name;

  @Parameters(index = "1", paramLabel = "PROPERTY", description = "The property to clear, e.g. diskBus.")
  String property;

  @Option(names = "--when-stopped", description = "Clear it even though the guest is running; the newly resolved "
      + "value stays pending until the guest stops.")
  boolean whenStopped;

  @Override
  public Integer call() {
    return DevicesCommand.execute(command, this::reset);
  }

  private DevicesExit reset() {
    PrintWriter out = command.commandLine().getOut();
    try (KubernetesClient client = parent.client()) {
      String namespace = parent.namespaceOf(client);
      VirtualGuest guest = DevicesCommand.guest(client, namespace, name);
      DeviceProperty prop = DeviceEdits.property(property);
      if (!DeviceEdits.stopped(guest) && !whenStopped) {
        throw new Failure(DevicesExit.GUEST_RUNNING, "virtualguest " + namespace + "/" + name + " is "
            + DeviceEdits.state(guest) + "; stop it first, or pass --when-stopped to apply the change at its next "
            + "stop");
      }
      String old = DeviceEdits.current(guest.getSpec(), prop);
      if (old == null) {
        out.println("virtualguest " + namespace + "/" + name + ": " + prop.field() + " is not set; nothing to reset");
        return DevicesExit.OK;
      }
      Map<DeviceProperty, String> changes = new HashMap<>();
      changes.put(prop, null);
      PatchContext context = new PatchContext.Builder().withPatchType(PatchType.JSON)
          .withFieldManager(DevicesCommand.FIELD_MANAGER).build();
      DevicesSetCommand.patch(client, namespace, name, context,
          DeviceEdits.jsonPatch(guest.getSpec(), changes).toString());
      String from = guest.getSpec().profile != null ? "profile " + guest.getSpec().profile + " and the "
          : "the ";
      out.println("virtualguest " + namespace + "/" + name + ": " + prop.field() + " cleared (was " + old + "); the "
          + "node agent resolves it again from " + from + "OS-family defaults");
      return DevicesExit.OK;
    }
  }
}
