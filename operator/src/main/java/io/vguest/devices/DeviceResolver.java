package io.vguest.devices;

import java.util.Map;

/**
 * Fills every device property a guest leaves unset, once. Order: the guest's own spec.devices,
 * then its profile, then the defaults of its OS family fitted to the machine type, then the
 * built-in defaults. A bus or model set on a single disk or NIC is applied per device by the
 * definition builder and beats all of these.
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

  /**
   * The machine type comes first (guest, profile, family default), so that the family's defaults
   * can be fitted to it: a default never names a bus the machine type lacks (see
   * {@link OsFamilyDefaults#of(OsFamily, String)}). A bus the guest or its profile sets is kept as
   * set; the validator judges it.
   */
  public DeviceChoices resolve(DeviceChoices guest, DeviceChoices profile, OsFamily family) {
    DeviceChoices chosen = guest.orElse(profile == null ? DeviceChoices.NONE : profile);
    String machineType = concreteMachineType(chosen.machineType() != null ? chosen.machineType()
        : OsFamilyDefaults.of(family).machineType());
    return chosen
        .orElse(OsFamilyDefaults.of(family, machineType))
        .orElse(OsFamilyDefaults.BUILT_IN)
        .withMachineType(machineType);
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
