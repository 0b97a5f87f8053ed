package io.vguest.guest;

import static io.vguest.guest.TestGuests.LINUX;
import static io.vguest.guest.TestGuests.NODE_A;
import static io.vguest.guest.TestGuests.SETTINGS;
import static io.vguest.guest.TestGuests.guest;
import static io.vguest.guest.TestGuests.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.BootMode;
import io.vguest.devices.TpmVersion;
import io.vguest.domain.FirmwareDefinition;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.GuestMetadata;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Firmware choices: resolved once (guest, profile, OS family), stamped, validated, built for a node. */
class FirmwareStampTest {

  private final GuestStamper stamper = new GuestStamper(SETTINGS, NODE_A);

  /** A node whose pool "default" is the directory /var/lib/libvirt/images. */
  private static final VolumePaths DIRECTORY_POOL = new VolumePaths() {
    @Override
    public Optional<String> pathOf(String pool, String volume) {
      return Optional.empty();
    }

    @Override
    public Optional<String> poolDirectory(String pool) {
      return "default".equals(pool) ? Optional.of("/var/lib/libvirt/images") : Optional.empty();
    }
  };

  private static VirtualGuest windows() {
    return guest(LINUX.replace("nodeName: node-a", "nodeName: node-a\n  osFamily: windows"));
  }

  @Test
  void linuxGuestsGetBiosWithoutTpm() {
    GuestStamper.Stamp stamp = stamper.stamp(guest(LINUX), null);
    var firmware = stamp.guest().getSpec().firmware;
    assertEquals(BootMode.BIOS, firmware.bootMode);
    assertEquals(Boolean.FALSE, firmware.secureBoot);
    assertEquals(TpmVersion.NONE, firmware.tpm);
    assertTrue(stamp.filled().containsAll(List.of("/spec/firmware/bootMode", "/spec/firmware/secureBoot",
        "/spec/firmware/tpm")), stamp.filled().toString());
  }

  @Test
  void newWindowsGuestsGetUefiSecureBootAndTpm() {
    var firmware = stamper.stamp(windows(), null).guest().getSpec().firmware;
    assertEquals(BootMode.UEFI, firmware.bootMode);
    assertEquals(Boolean.TRUE, firmware.secureBoot);
    assertEquals(TpmVersion.V2_0, firmware.tpm);
  }

  @Test
  void windowsOnI440fxGetsUefiWithoutSecureBoot() {
    VirtualGuest guest = guest(LINUX.replace("nodeName: node-a", "nodeName: node-a\n  osFamily: windows\n"
        + "  machineType: pc"));
    var firmware = stamper.stamp(guest, null).guest().getSpec().firmware;
    assertEquals(BootMode.UEFI, firmware.bootMode);
    assertEquals(Boolean.FALSE, firmware.secureBoot, "no SMM on i440fx: Secure Boot cannot work there");
    assertEquals(TpmVersion.V2_0, firmware.tpm);
  }

  @Test
  void windowsGuestsStampedBeforeFirmwareChoicesKeepBios() {
    VirtualGuest stampedLongAgo = windows();
    stampedLongAgo.getSpec().identity = new io.vguest.api.v1alpha1.GuestIdentity();
    stampedLongAgo.getSpec().identity.stampedFor = "demo/web-1";
    var firmware = stamper.stamp(stampedLongAgo, null).guest().getSpec().firmware;
    assertEquals(BootMode.BIOS, firmware.bootMode, "an installed BIOS guest must keep booting");
    assertEquals(TpmVersion.NONE, firmware.tpm);
  }

  @Test
  void ownValuesBeatTheProfileWhichBeatsTheFamily() {
    VirtualGuest guest = guest(LINUX.replace("nodeName: node-a", "nodeName: node-a\n  profile: fw\n"
        + "  firmware: {tpm: none}"));
    var profile = profile("""
        apiVersion: vguest.io/v1alpha1
        kind: GuestDeviceProfile
        metadata: {name: fw, namespace: demo}
        spec: {bootMode: uefi, secureBoot: true, tpm: v2.0}
        """);
    var firmware = stamper.stamp(guest, profile).guest().getSpec().firmware;
    assertEquals(BootMode.UEFI, firmware.bootMode);
    assertEquals(Boolean.TRUE, firmware.secureBoot);
    assertEquals(TpmVersion.NONE, firmware.tpm, "the guest's own value wins");
    GuestStamper.Stamp again = stamper.stamp(stamper.stamp(guest, profile).guest(), null);
    assertFalse(again.changed(), "stamped once, never again: " + again.filled());
  }

  @Test
  void secureBootNeedsUefiAndQ35() {
    var validator = new GuestValidator(SETTINGS.allowedPools());
    VirtualGuest bios = guest(LINUX.replace("nodeName: node-a", "nodeName: node-a\n"
        + "  firmware: {bootMode: bios, secureBoot: true}"));
    assertTrue(validator.validate(bios).stream().anyMatch(v -> v.field().equals("spec.firmware.secureBoot")
        && v.message().contains("bootMode uefi")), validator.validate(bios).toString());
    VirtualGuest i440fx = guest(LINUX.replace("nodeName: node-a", "nodeName: node-a\n  machineType: pc\n"
        + "  firmware: {bootMode: uefi, secureBoot: true}"));
    assertTrue(validator.validate(i440fx).stream().anyMatch(v -> v.field().equals("spec.firmware.secureBoot")
        && v.message().contains("q35")), validator.validate(i440fx).toString());
  }

  @Test
  void uefiKeepsItsNvramAndTpmStateInTheRootDisksPool() {
    VirtualGuest stamped = stamper.stamp(windows(), null).guest();
    GuestDefinition definition = new DefinitionBuilder(SETTINGS, NODE_A).build(stamped, DIRECTORY_POOL);
    FirmwareDefinition firmware = definition.firmware();
    assertEquals("default/demo_web-1_nvram.fd", firmware.nvram().pool() + "/" + firmware.nvram().volume());
    assertEquals("/var/lib/libvirt/images/demo_web-1_nvram.fd", firmware.nvramPath());
    assertEquals("tpm-crb", firmware.tpmModel());
    assertEquals("default/demo_web-1_tpm.state", firmware.tpmState().pool() + "/" + firmware.tpmState().volume());
    GuestMetadata.FirmwareState recorded = definition.metadata().firmware();
    assertEquals(new GuestMetadata.FirmwareState("uefi", true, "v2.0", "default/demo_web-1_nvram.fd",
        "default/demo_web-1_tpm.state"), recorded);
  }

  @Test
  void uefiOnAPoolWithoutFilesIsRefusedNamingTheField() {
    VirtualGuest stamped = stamper.stamp(windows(), null).guest();
    InvalidGuestException e = assertThrows(InvalidGuestException.class,
        () -> new DefinitionBuilder(SETTINGS, NODE_A).build(stamped, VolumePaths.NONE));
    assertTrue(e.getMessage().contains("spec.firmware.bootMode") && e.getMessage().contains("directory pool"),
        e.getMessage());
  }

  @Test
  void biosGuestsRecordNoFirmwareState() {
    VirtualGuest stamped = stamper.stamp(guest(LINUX), null).guest();
    GuestDefinition definition = new DefinitionBuilder(SETTINGS, NODE_A).build(stamped, DIRECTORY_POOL);
    assertEquals(FirmwareDefinition.BIOS, definition.firmware());
    assertNull(definition.metadata().firmware());
  }

  @Test
  void aReplacedSpecGetsItsFirmwareBackFromTheDomainNotTheLegacyDefault() {
    VirtualGuest stamped = stamper.stamp(windows(), null).guest();
    GuestMetadata recorded = new DefinitionBuilder(SETTINGS, NODE_A).build(stamped, DIRECTORY_POOL).metadata();
    VirtualGuest replaced = windows(); // kubectl replace with the manifest as first written

    VirtualGuest restored = StampRestorer.restore(replaced, recorded).guest();
    var firmware = stamper.stamp(restored, null).guest().getSpec().firmware;

    assertEquals(BootMode.UEFI, firmware.bootMode, "not BIOS: the domain has UEFI and its NVRAM");
    assertEquals(Boolean.TRUE, firmware.secureBoot);
    assertEquals(TpmVersion.V2_0, firmware.tpm);
  }
}
