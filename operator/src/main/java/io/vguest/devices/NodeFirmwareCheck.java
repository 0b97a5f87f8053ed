package io.vguest.devices;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a guest's firmware choices against one node's domain capabilities: UEFI needs OVMF (and
 * its firmware descriptors), Secure Boot a secure OVMF build for the machine type, a TPM the model
 * and swtpm's emulator backend for TPM 2.0. Only what libvirt reports is checked; each problem
 * names the field, the value, what is missing and which Debian package provides it.
 */
public final class NodeFirmwareCheck {

  private NodeFirmwareCheck() {}

  public static List<DeviceProblem> check(DomainCapabilities caps, FirmwareChoices firmware) {
    List<DeviceProblem> problems = new ArrayList<>();
    String where = " on this node (machine type " + caps.machine() + ", " + caps.domainType() + ")";
    FirmwareCapabilities os = caps.os();
    if (firmware.uefi() && os != null && !os.efi()) {
      problems.add(new DeviceProblem("spec.firmware.bootMode", "uefi", "Unsupported value: \"uefi\": no UEFI firmware"
          + where + " (libvirt lists no efi firmware; install the ovmf package on the node); use bios or move the "
          + "guest to a node with OVMF"));
    } else if (firmware.uefi() && Boolean.TRUE.equals(firmware.secureBoot()) && os != null && !os.secureBoot()) {
      problems.add(new DeviceProblem("spec.firmware.secureBoot", "true", "Unsupported value: true: no Secure Boot "
          + "OVMF build" + where + " (the ovmf package's secboot build with its firmware descriptors); set "
          + "secureBoot to false or move the guest to a node that has it"));
    }
    if (firmware.hasTpm()) {
      String model = FirmwareChoices.tpmModel(caps.machine());
      String value = firmware.tpm().value();
      Optional<List<String>> models = caps.values("tpm", "model");
      Optional<List<String>> backends = caps.values("tpm", "backendModel");
      Optional<List<String>> versions = caps.values("tpm", "backendVersion");
      if (models.isPresent() && !models.get().contains(model)) {
        problems.add(new DeviceProblem("spec.firmware.tpm", value, "Unsupported value: \"" + value + "\": no " + model
            + " TPM" + where + "; TPM models this node offers: "
            + (models.get().isEmpty() ? "none" : String.join(", ", models.get())) + "; use none"));
      } else if (backends.isPresent() && !backends.get().contains("emulator")) {
        problems.add(new DeviceProblem("spec.firmware.tpm", value, "Unsupported value: \"" + value + "\": no emulated "
            + "TPM" + where + " (libvirt lists no emulator backend; install the swtpm and swtpm-tools packages on the "
            + "node); use none or move the guest to a node that has swtpm"));
      } else if (versions.isPresent() && !versions.get().contains("2.0")) {
        problems.add(new DeviceProblem("spec.firmware.tpm", value, "Unsupported value: \"" + value + "\": no TPM 2.0 "
            + "emulation" + where + "; use none"));
      }
    }
    return problems;
  }
}
