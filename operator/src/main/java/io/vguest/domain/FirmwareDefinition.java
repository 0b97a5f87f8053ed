package io.vguest.domain;

import io.vguest.devices.BootMode;
import io.vguest.devices.FirmwareChoices;
import io.vguest.devices.TpmVersion;
import io.vguest.domain.DiskDefinition.VolumeRef;
import java.util.Objects;

/**
 * A guest's firmware, resolved for one node: boot mode and Secure Boot, the NVRAM variable store
 * (a volume of the guest's pool, given to libvirt by its path) and the emulated TPM with the volume
 * its state is carried in.
 *
 * @param nvram the UEFI variable store volume, or null with BIOS
 * @param nvramPath the path of {@code nvram} on the node (the file may not exist yet: libvirt copies
 *     the OVMF variables template there at the first start, and never again while it exists)
 * @param tpmModel {@code tpm-crb} or {@code tpm-tis}, or null without a TPM
 * @param tpmState the volume the TPM's state is carried in between nodes, or null without a TPM
 */
public record FirmwareDefinition(
    BootMode bootMode,
    boolean secureBoot,
    TpmVersion tpm,
    VolumeRef nvram,
    String nvramPath,
    String tpmModel,
    VolumeRef tpmState) {

  /** SeaBIOS without a TPM: what every guest had before firmware choices existed. */
  public static final FirmwareDefinition BIOS = new FirmwareDefinition(BootMode.BIOS, false, TpmVersion.NONE, null,
      null, null, null);

  public FirmwareDefinition {
    Objects.requireNonNull(bootMode, "bootMode");
    Objects.requireNonNull(tpm, "tpm");
    if (bootMode == BootMode.UEFI && (nvram == null || nvramPath == null)) {
      throw new IllegalArgumentException("UEFI needs an NVRAM volume and its path");
    }
    if (secureBoot && bootMode != BootMode.UEFI) {
      throw new IllegalArgumentException("Secure Boot needs UEFI");
    }
    if (tpm != TpmVersion.NONE && (tpmModel == null || tpmState == null)) {
      throw new IllegalArgumentException("a TPM needs a model and a state volume");
    }
  }

  public boolean uefi() {
    return bootMode == BootMode.UEFI;
  }

  public boolean hasTpm() {
    return tpm != TpmVersion.NONE;
  }

  public FirmwareChoices choices() {
    return new FirmwareChoices(bootMode, secureBoot, tpm);
  }
}
