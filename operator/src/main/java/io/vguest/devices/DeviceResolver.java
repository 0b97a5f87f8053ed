package io.vguest.devices;

import java.util.Map;

/**
 * Fills every device property a guest leaves unset, once. Order: the guest's own spec.devices,
 * then its profile, then the defaults of its OS family, then the built-in defaults. A bus or model
 * set on a single disk or NIC is applied per device by the definition builder and beats all of these.
 */
public final class DeviceResolver {

  private final Map<String, String> machineAliases;

  /**
   * @param machineAliases machine type aliases of the node (e.g. q35 to pc-q35-7.2), read from
   *     libvirt's capabilities; an alias missing here is kept as written.
   */
  public DeviceResolver(Map<String, String> machineAliases) {
    this.machineAliases = Map.copyOf(machineAliases);
  }

  public DeviceChoices resolve(DeviceChoices guest, DeviceChoices profile, OsFamily family) {
    DeviceChoices resolved = guest
        .orElse(profile == null ? DeviceChoices.NONE : profile)
        .orElse(OsFamilyDefaults.of(family))
        .orElse(OsFamilyDefaults.BUILT_IN);
    return resolved.withMachineType(concreteMachineType(resolved.machineType()));
  }

  /** The node's versioned machine type for an alias; a versioned type is returned unchanged. */
  public String concreteMachineType(String machineType) {
    return machineType == null ? null : machineAliases.getOrDefault(machineType, machineType);
  }

  /** Whether a machine type is a q35 (ICH9) type, which has no IDE controller. */
  public static boolean isQ35(String machineType) {
    return machineType != null && machineType.contains("q35");
  }
}
