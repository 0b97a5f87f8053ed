package io.vguest.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * A guest's firmware: boot mode, Secure Boot and TPM. Each value is null while unresolved. Like the
 * device choices they are resolved once (the guest's own, then its profile's, then the OS-family
 * default) and stamped into the spec, so a new default never changes an existing guest.
 *
 * @param bootMode BIOS or UEFI
 * @param secureBoot whether OVMF enforces Secure Boot (UEFI only; needs SMM, so a q35 machine type)
 * @param tpm the emulated TPM, or {@link TpmVersion#NONE}
 */
public record FirmwareChoices(BootMode bootMode, Boolean secureBoot, TpmVersion tpm) {

  public static final FirmwareChoices NONE = new FirmwareChoices(null, null, null);

  /** What guests stamped before vguest knew about firmware had: SeaBIOS, no TPM. They keep it. */
  public static final FirmwareChoices LEGACY = new FirmwareChoices(BootMode.BIOS, false, TpmVersion.NONE);

  /** The libvirt TPM model for a machine type: the CRB interface on q35, TIS (ISA) elsewhere. */
  public static String tpmModel(String machineType) {
    return DeviceResolver.isQ35(machineType) ? "tpm-crb" : "tpm-tis";
  }

  public boolean complete() {
    return bootMode != null && secureBoot != null && tpm != null;
  }

  public boolean uefi() {
    return bootMode == BootMode.UEFI;
  }

  public boolean hasTpm() {
    return tpm != null && tpm != TpmVersion.NONE;
  }

  /**
   * Fills every unset value from {@code profile}, then from the defaults of the OS family fitted to
   * the machine type. {@code alreadyStamped}: the guest was stamped before it had firmware fields;
   * it gets {@link #LEGACY} instead of the family default, so an existing Windows guest installed on
   * BIOS keeps booting.
   */
  public static FirmwareChoices resolve(FirmwareChoices own, FirmwareChoices profile, OsFamily family,
      String machineType, boolean alreadyStamped) {
    FirmwareChoices defaults = alreadyStamped ? LEGACY : defaults(family, machineType);
    BootMode bootMode = first(own.bootMode, profile.bootMode, defaults.bootMode);
    // Secure Boot defaults to on only where it can work: UEFI on q35.
    boolean secureBootFits = bootMode == BootMode.UEFI && DeviceResolver.isQ35(machineType);
    Boolean secureBoot = first(own.secureBoot, profile.secureBoot, defaults.secureBoot && secureBootFits);
    TpmVersion tpm = first(own.tpm, profile.tpm, defaults.tpm);
    return new FirmwareChoices(bootMode, secureBoot, tpm);
  }

  /**
   * Windows 11 and Server 2025 need UEFI, Secure Boot and a TPM 2.0; every other family boots
   * SeaBIOS, as before. Secure Boot is dropped on machine types without SMM (i440fx).
   */
  public static FirmwareChoices defaults(OsFamily family, String machineType) {
    if (family == OsFamily.WINDOWS) {
      return new FirmwareChoices(BootMode.UEFI, DeviceResolver.isQ35(machineType), TpmVersion.V2_0);
    }
    return LEGACY;
  }

  /**
   * Rules that hold on every node; each problem names the field, the value and what to do. Unset
   * values are not checked.
   */
  public List<DeviceProblem> problems(String machineType) {
    List<DeviceProblem> problems = new ArrayList<>();
    if (Boolean.TRUE.equals(secureBoot)) {
      if (bootMode == BootMode.BIOS) {
        problems.add(new DeviceProblem("spec.firmware.secureBoot", "true", "Invalid value: true: Secure Boot needs "
            + "spec.firmware.bootMode uefi, the guest has bios; set bootMode to uefi or secureBoot to false"));
      } else if (machineType != null && !DeviceResolver.isQ35(machineType)) {
        problems.add(new DeviceProblem("spec.firmware.secureBoot", "true", "Invalid value: true: Secure Boot needs "
            + "a q35 machine type (SMM), spec.machineType is " + machineType + "; use q35 or set secureBoot to false"));
      }
    }
    return problems;
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
