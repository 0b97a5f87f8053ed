package io.vguest.devices;

import static io.vguest.devices.NodeDeviceCheckTest.caps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Firmware choices against libvirt 9.0's domain capabilities for QEMU 7.2: a node with the ovmf,
 * swtpm and swtpm-tools packages, and one without them (no efi firmware, no emulator backend).
 */
class NodeFirmwareCheckTest {

  static final DomainCapabilities Q35_FULL = caps("qemu-7.2-q35-ovmf-swtpm.xml");
  static final DomainCapabilities PC_FULL = caps("qemu-7.2-pc-ovmf-swtpm.xml");
  static final DomainCapabilities Q35_BARE = caps("qemu-7.2-q35.xml");

  static final FirmwareChoices WINDOWS = new FirmwareChoices(BootMode.UEFI, true, TpmVersion.V2_0);
  static final FirmwareChoices UEFI_PLAIN = new FirmwareChoices(BootMode.UEFI, false, TpmVersion.NONE);

  static List<String> check(DomainCapabilities caps, FirmwareChoices firmware) {
    return NodeFirmwareCheck.check(caps, firmware).stream().map(DeviceProblem::toString).toList();
  }

  @Test
  void parsesTheFirmwareTheNodeCanAutoselect() {
    assertEquals(List.of("efi"), Q35_FULL.os().firmware());
    assertTrue(Q35_FULL.os().secureBoot());
    assertEquals(List.of("no"), PC_FULL.os().loaderSecure(), "no Secure Boot build for i440fx (no SMM)");
    assertEquals(List.of(), Q35_BARE.os().firmware(), "no OVMF installed");
  }

  @Test
  void aNodeWithOvmfAndSwtpmOffersEverything() {
    assertEquals(List.of(), check(Q35_FULL, WINDOWS));
    assertEquals(List.of(), check(Q35_FULL, UEFI_PLAIN));
    assertEquals(List.of(), check(PC_FULL, new FirmwareChoices(BootMode.UEFI, false, TpmVersion.V2_0)));
    assertEquals(List.of(), check(Q35_BARE, FirmwareChoices.LEGACY), "BIOS needs nothing");
  }

  @Test
  void aNodeWithoutOvmfRefusesUefiNamingThePackage() {
    List<String> problems = check(Q35_BARE, UEFI_PLAIN);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("spec.firmware.bootMode: Unsupported value: \"uefi\": no UEFI firmware"),
        problems.get(0));
    assertTrue(problems.get(0).contains("ovmf"), problems.get(0));
  }

  @Test
  void aNodeWithoutSwtpmRefusesTheTpmNamingThePackages() {
    List<String> problems = check(Q35_BARE, new FirmwareChoices(BootMode.BIOS, false, TpmVersion.V2_0));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("spec.firmware.tpm: Unsupported value: \"v2.0\": no emulated TPM"),
        problems.get(0));
    assertTrue(problems.get(0).contains("swtpm and swtpm-tools"), problems.get(0));
  }

  @Test
  void secureBootWithoutASecureBuildIsRefused() {
    List<String> problems = check(PC_FULL, new FirmwareChoices(BootMode.UEFI, true, TpmVersion.NONE));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("spec.firmware.secureBoot: Unsupported value: true: no Secure Boot OVMF"),
        problems.get(0));
  }

  @Test
  void tpmModelFollowsTheMachineType() {
    assertEquals("tpm-crb", FirmwareChoices.tpmModel("pc-q35-7.2"));
    assertEquals("tpm-tis", FirmwareChoices.tpmModel("pc-i440fx-7.2"));
  }
}
