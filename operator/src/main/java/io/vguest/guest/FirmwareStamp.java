package io.vguest.guest;

import io.vguest.api.v1alpha1.Firmware;
import io.vguest.api.v1alpha1.GuestDeviceProfileSpec;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.BootMode;
import io.vguest.devices.FirmwareChoices;
import io.vguest.devices.TpmVersion;
import io.vguest.domain.GuestMetadata;
import java.util.List;

/**
 * Stamps a guest's firmware choices (boot mode, Secure Boot, TPM) into {@code spec.firmware}, once,
 * like its devices: a value already there is never changed.
 */
final class FirmwareStamp {

  private FirmwareStamp() {}

  /** The firmware a spec asks for itself (null where unset). */
  static FirmwareChoices own(VirtualGuestSpec spec) {
    Firmware f = spec.firmware;
    return f == null ? FirmwareChoices.NONE : new FirmwareChoices(f.bootMode, f.secureBoot, f.tpm);
  }

  /**
   * @param stampedBefore the guest had been stamped before (its {@code spec.identity.stampedFor} was
   *     set when it came in): a guest from before firmware choices existed keeps BIOS without a TPM
   * @param spec a spec whose OS family and machine type are stamped already
   */
  static void stamp(VirtualGuestSpec spec, GuestDeviceProfileSpec profile, boolean stampedBefore,
      List<String> filled) {
    FirmwareChoices own = own(spec);
    if (own.complete()) {
      return;
    }
    FirmwareChoices resolved = FirmwareChoices.resolve(own,
        profile == null ? FirmwareChoices.NONE : profile.toFirmwareChoices(), GuestStamper.familyOf(spec),
        spec.machineType, stampedBefore);
    if (spec.firmware == null) {
      spec.firmware = new Firmware();
    }
    if (own.bootMode() == null) {
      spec.firmware.bootMode = resolved.bootMode();
      filled.add("/spec/firmware/bootMode");
    }
    if (own.secureBoot() == null) {
      spec.firmware.secureBoot = resolved.secureBoot();
      filled.add("/spec/firmware/secureBoot");
    }
    if (own.tpm() == null) {
      spec.firmware.tpm = resolved.tpm();
      filled.add("/spec/firmware/tpm");
    }
  }

  /**
   * Puts back the firmware a domain was defined with into a spec that lost its stamp. A domain
   * without a firmware record had BIOS without a TPM; the stamper gives such a guest exactly that.
   */
  static void restore(Firmware firmware, GuestMetadata.FirmwareState recorded, List<String> restored) {
    if (recorded == null) {
      return;
    }
    if (firmware.bootMode == null && recorded.bootMode() != null) {
      firmware.bootMode = BootMode.fromValue(recorded.bootMode());
      restored.add("/spec/firmware/bootMode");
    }
    if (firmware.secureBoot == null) {
      firmware.secureBoot = recorded.secureBoot();
      restored.add("/spec/firmware/secureBoot");
    }
    if (firmware.tpm == null && recorded.tpm() != null) {
      firmware.tpm = TpmVersion.fromValue(recorded.tpm());
      restored.add("/spec/firmware/tpm");
    }
  }
}
