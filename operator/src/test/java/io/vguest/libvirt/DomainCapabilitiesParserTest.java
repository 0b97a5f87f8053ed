package io.vguest.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.devices.DomainCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reads domain capabilities captured from libvirt 9.0 with QEMU 7.2 (Debian 12). */
class DomainCapabilitiesParserTest {

  /** A checked-in {@code virsh domcapabilities} output from src/test/resources/domcaps. */
  static String sample(String name) {
    try (InputStream in = DomainCapabilitiesParserTest.class.getResourceAsStream("/domcaps/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample /domcaps/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void q35OfQemu72ListsBusesVideoAndRngButNoIde() {
    DomainCapabilities caps = DomainCapabilitiesParser.parse(sample("qemu-7.2-q35.xml"));
    assertEquals("pc-q35-7.2", caps.machine());
    assertEquals("qemu", caps.domainType());
    assertEquals("x86_64", caps.arch());
    assertEquals("/usr/bin/qemu-system-x86_64", caps.emulator());
    assertEquals(Optional.of(List.of("fdc", "scsi", "virtio", "usb", "sata")), caps.diskBuses());
    assertEquals(Optional.of(List.of("disk", "cdrom", "floppy", "lun")), caps.diskDevices());
    assertEquals(Optional.of(List.of("vga", "cirrus", "vmvga", "qxl", "virtio", "none", "bochs", "ramfb")),
        caps.videoModels());
    assertEquals(Optional.of(List.of("virtio", "virtio-transitional", "virtio-non-transitional")), caps.rngModels());
    assertEquals(Optional.of(List.of("random", "egd", "builtin")), caps.rngBackends());
  }

  @Test
  void i440fxOfQemu72AlsoOffersIde() {
    DomainCapabilities caps = DomainCapabilitiesParser.parse(sample("qemu-7.2-pc.xml"));
    assertEquals("pc-i440fx-7.2", caps.machine());
    assertEquals(Optional.of(List.of("ide", "fdc", "scsi", "virtio", "usb", "sata")), caps.diskBuses());
  }

  @Test
  void whatLibvirt90DoesNotListIsUnknownNotEmpty() {
    DomainCapabilities caps = DomainCapabilitiesParser.parse(sample("qemu-7.2-q35.xml"));
    assertEquals(Optional.empty(), caps.inputBuses());
    assertEquals(Optional.empty(), caps.interfaceModels());
    assertEquals(Optional.empty(), caps.values("controller", "model"));
  }

  @Test
  void unsupportedDeviceOffersNothingAndNewerElementsAreKept() {
    DomainCapabilities caps = DomainCapabilitiesParser.parse("""
        <domainCapabilities>
          <domain>kvm</domain>
          <machine>pc-q35-9.2</machine>
          <devices>
            <video supported='no'/>
            <interface supported='yes'>
              <enum name='model'><value>virtio</value><value>e1000e</value></enum>
            </interface>
            <input supported='yes'><enum name='bus'/></input>
          </devices>
        </domainCapabilities>
        """);
    assertEquals(Optional.of(List.of()), caps.videoModels());
    assertEquals(Optional.of(List.of("virtio", "e1000e")), caps.interfaceModels());
    assertEquals(Optional.of(List.of()), caps.inputBuses());
    assertEquals(Optional.empty(), caps.diskBuses());
  }

  @Test
  void otherDocumentsAndEntitiesAreRefused() {
    IllegalArgumentException notCaps = assertThrows(IllegalArgumentException.class,
        () -> DomainCapabilitiesParser.parse("<capabilities><host/></capabilities>"));
    assertTrue(notCaps.getMessage().contains("expected <domainCapabilities>"), notCaps.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> DomainCapabilitiesParser.parse("<domainCapabilities><domain>qemu</domain></domainCapabilities>"));
    assertThrows(IllegalArgumentException.class, () -> DomainCapabilitiesParser.parse(
        "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domainCapabilities><machine>&x;</machine>"
            + "</domainCapabilities>"));
  }
}
