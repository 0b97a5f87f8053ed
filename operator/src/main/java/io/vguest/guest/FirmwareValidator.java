package io.vguest.guest;

import io.vguest.api.v1alpha1.Firmware;
import io.vguest.api.v1alpha1.KernelBoot;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.util.regex.Pattern;

/**
 * Checks how a guest boots: its SMBIOS serial and uuid, its firmware choices (boot mode, Secure
 * Boot, TPM) against its machine type, and a direct kernel boot's volumes and command line.
 */
final class FirmwareValidator {

  private static final Pattern UUID = Pattern.compile(Patterns.UUID);

  private final VolumeValidator volumes;

  FirmwareValidator(VolumeValidator volumes) {
    this.volumes = volumes;
  }

  static void firmware(FieldCheck c, Firmware firmware) {
    if (firmware == null) {
      return;
    }
    if (firmware.serial != null) {
      if (firmware.serial.isEmpty()) {
        c.invalid("spec.firmware.serial", firmware.serial, "must not be empty: printable text without control "
            + "characters; remove the field for a generated serial");
      }
      c.text("spec.firmware.serial", firmware.serial, false);
      c.maxLength("spec.firmware.serial", firmware.serial, Patterns.SMBIOS_TEXT_MAX);
    }
    c.name("spec.firmware.uuid", firmware.uuid, UUID, 36, "a UUID such as 6f1c7b9e-3f4a-4c1e-9a53-2b8f0d6e7a10");
  }

  /** Boot mode, Secure Boot and TPM as the guest sets them, against its machine type. */
  static void firmwareChoices(FieldCheck c, VirtualGuestSpec spec) {
    FirmwareStamp.own(spec).problems(spec.machineType).forEach(p -> c.add(p.field(), p.message()));
  }

  void kernelBoot(FieldCheck c, KernelBoot boot) {
    if (boot == null) {
      return;
    }
    if (boot.kernel == null) {
      c.add("spec.kernelBoot.kernel", "Required value: the volume holding the kernel, as {pool, name}");
    } else {
      volumes.volume(c, "spec.kernelBoot.kernel", boot.kernel);
    }
    if (boot.initrd != null) {
      volumes.volume(c, "spec.kernelBoot.initrd", boot.initrd);
    }
    if (boot.cmdline != null) {
      c.text("spec.kernelBoot.cmdline", boot.cmdline, false);
      c.maxLength("spec.kernelBoot.cmdline", boot.cmdline, Patterns.KERNEL_CMDLINE_MAX);
    }
  }
}
