package io.vguest.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.cli.DevicesCommand.Failure;
import io.vguest.devices.DeviceProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One guest's machine type change, made exactly as {@code vguest devices set NAME --property
 * machineType=TYPE} makes it: the same checks from {@link DeviceEdits}, in the same order, and
 * the same guarded JSON patch under the same field manager. A check that fails throws a
 * {@link Failure} with the exit code {@code devices set} would give.
 */
final class MachineTypeChange {

  /** What happened to one guest. */
  enum Result { CHANGED, UNCHANGED }

  private MachineTypeChange() {}

  /** Step 4a, once for every guest: the new type is a machine type at all (exit 6). */
  static void allowed(String to) {
    DeviceEdits.allowed(DeviceProperty.MACHINE_TYPE, to);
  }

  /**
   * Steps 4b and 5, then the write: the type fits the guest's disks and devices (exit 7), the guest
   * is stopped (exit 3), and the patch the API server takes (exit 9; exit 8 when it was deleted).
   * With {@code dryRun} the API server checks the patch and stores nothing.
   */
  static Result apply(KubernetesClient client, VirtualGuest guest, String to, boolean dryRun) {
    String namespace = guest.getMetadata().getNamespace();
    String name = guest.getMetadata().getName();
    if (!guest.unknownValues().isEmpty()) {
      throw new Failure(DevicesExit.ERROR, "it holds values this version does not know; use a vguest command of the "
          + "cluster's version");
    }
    Map<DeviceProperty, String> change = Map.of(DeviceProperty.MACHINE_TYPE, to);
    DeviceEdits.compatible(guest.getSpec(), change);
    if (!DeviceEdits.stopped(guest)) {
      throw new Failure(DevicesExit.GUEST_RUNNING, "it is " + DeviceEdits.state(guest) + "; stop it first (its "
          + "machine type changes only while it is stopped)");
    }
    if (Objects.equals(DeviceEdits.current(guest.getSpec(), DeviceProperty.MACHINE_TYPE), to)) {
      return Result.UNCHANGED;
    }
    PatchContext context = new PatchContext.Builder()
        .withPatchType(PatchType.JSON)
        .withFieldManager(DevicesCommand.FIELD_MANAGER)
        .withDryRun(dryRun ? List.of("All") : null)
        .build();
    DevicesSetCommand.patch(client, namespace, name, context,
        DeviceEdits.jsonPatch(guest.getSpec(), change).toString());
    return Result.CHANGED;
  }
}
