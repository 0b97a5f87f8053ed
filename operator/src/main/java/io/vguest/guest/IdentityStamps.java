package io.vguest.guest;

import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DiskRole;
import io.vguest.identity.DeviceIdentities;
import io.vguest.identity.IdentityGenerator;
import java.util.List;

/**
 * Stamps the identity values that came after serials and MACs: the VM generation ID and the WWNs
 * of drives on buses that show one. Like the stamper, it fills only what is unset, with values
 * derived from the cluster's seed and the guest's namespace/name.
 */
final class IdentityStamps {

  private IdentityStamps() {}

  /** Count of declared restores; 0 when none was declared. */
  static int restoreGeneration(GuestIdentity identity) {
    return identity == null || identity.restoreGeneration == null ? 0 : identity.restoreGeneration;
  }

  /**
   * The generation ID, unless one is there already. One the user wrote (without generationIdFor)
   * is kept; {@link IdentityRenewal} removes a stamped one whose restore count is out of date
   * before this runs.
   */
  static void stampGenerationId(GuestIdentity identity, IdentityGenerator generator, String namespace, String name,
      List<String> filled) {
    if (identity.generationId != null) {
      return;
    }
    int restores = restoreGeneration(identity);
    identity.generationId = generator.generationId(namespace, name, restores);
    identity.generationIdFor = restores;
    filled.add("/spec/identity/generationId");
    filled.add("/spec/identity/generationIdFor");
  }

  /** A WWN for each drive on scsi or ide that has none of its own and none stamped. */
  static void stampDiskWwns(VirtualGuestSpec spec, IdentityGenerator generator, String namespace, String name,
      List<String> filled) {
    DeviceChoices devices = spec.devices.toChoices(spec.machineType);
    GuestIdentity identity = spec.identity;
    List<String> needing = spec.disks.stream().filter(disk -> disk.wwn == null && disk.role != DiskRole.FLOPPY
        && DeviceRules.showsWwn(DeviceRules.busOf(disk.bus, disk.role, devices))).map(disk -> disk.name).toList();
    identity.diskWwns = DeviceIdentities.fill(identity.diskWwns, needing,
        disk -> generator.diskWwn(namespace, name, disk), "/spec/identity/diskWwns", filled);
  }
}
