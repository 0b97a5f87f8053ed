package io.vguest.reconcile;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.BootMode;
import io.vguest.devices.TpmVersion;
import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.guest.FirmwareDefinitions;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The firmware volumes vguest created for a guest: its UEFI variable store and its TPM state
 * volume, both in the guest's pool. Used when the guest leaves a node (the TPM state is saved first)
 * and when it is deleted (both volumes go with it; no other volume is touched).
 *
 * @param uuid the domain uuid (swtpm's state directory is named after it)
 * @param nvram the variable store, or null with BIOS
 * @param tpmState the TPM state volume, or null without a TPM
 */
record GuestFirmwareVolumes(String uuid, VolumeRef nvram, VolumeRef tpmState) {

  /** Empty when the guest has neither UEFI nor a TPM, or is not stamped. */
  static Optional<GuestFirmwareVolumes> of(VirtualGuest guest) {
    var spec = guest.getSpec();
    if (spec == null || spec.firmware == null || spec.firmware.uuid == null) {
      return Optional.empty();
    }
    boolean uefi = spec.firmware.bootMode == BootMode.UEFI;
    boolean tpm = spec.firmware.tpm != null && spec.firmware.tpm != TpmVersion.NONE;
    Optional<String> pool = FirmwareDefinitions.statePool(spec);
    if ((!uefi && !tpm) || pool.isEmpty()) {
      return Optional.empty();
    }
    String namespace = GuestSync.namespaceOf(guest);
    String name = guest.getMetadata().getName();
    return Optional.of(new GuestFirmwareVolumes(spec.firmware.uuid.toLowerCase(Locale.ROOT),
        uefi ? new VolumeRef(pool.get(), FirmwareDefinitions.nvramVolumeName(namespace, name)) : null,
        tpm ? new VolumeRef(pool.get(), FirmwareDefinitions.tpmStateVolumeName(namespace, name)) : null));
  }

  /** Saves the TPM state before the domain is undefined; a failure stops the undefine. */
  void saveTpmState(TpmStateCarrier carrier) {
    if (tpmState != null) {
      try {
        carrier.save(uuid, tpmState);
      } catch (java.io.UncheckedIOException e) {
        throw new HypervisorException(HypervisorException.Kind.OTHER, "save the TPM state before undefining: "
            + e.getMessage(), null, e);
      }
    }
  }

  /** Deletes both volumes (the guest is gone); returns {@code pool/volume} of each one deleted. */
  List<String> delete(Hypervisor hypervisor, TpmStateCarrier carrier) {
    List<String> deleted = new ArrayList<>();
    for (VolumeRef v : new VolumeRef[] {nvram, tpmState}) {
      if (v != null && hypervisor.deleteVolume(v.pool(), v.volume())) {
        deleted.add(v.pool() + "/" + v.volume());
      }
    }
    carrier.forget(uuid);
    return deleted;
  }
}
