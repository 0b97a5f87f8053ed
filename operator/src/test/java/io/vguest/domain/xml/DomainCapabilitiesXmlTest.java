package io.vguest.domain.xml;

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

/** Reads domain capabilities captured from libvirt 9.0 with QEMU 7.2 (Debian 12), and writes them back. */
public class DomainCapabilitiesXmlTest {

  /** A checked-in {@code virsh domcapabilities} output from src/test/resources/domcaps. */
  public static String sample(String name) {
    try (InputStream in = DomainCapabilitiesXmlTest.class.getResourceAsStream("/domcaps/" + name)) {
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
    DomainCapabilities caps = DomainCapabilitiesXml.parse(sample("qemu-7.2-q35.xml"));
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
    DomainCapabilities caps = DomainCapabilitiesXml.parse(sample("qemu-7.2-pc.xml"));
    assertEquals("pc-i440fx-7.2", caps.machine());
    assertEquals(Optional.of(List.of("ide", "fdc", "scsi", "virtio", "usb", "sata")), caps.diskBuses());
  }

  @Test
  void whatLibvirt90DoesNotListIsUnknownNotEmpty() {
    DomainCapabilities caps = DomainCapabilitiesXml.parse(sample("qemu-7.2-q35.xml"));
    assertEquals(Optional.empty(), caps.inputBuses());
    assertEquals(Optional.empty(), caps.interfaceModels());
    assertEquals(Optional.empty(), caps.values("controller", "model"));
  }

  @Test
  void unsupportedDeviceOffersNothingAndNewerElementsAreKept() {
    DomainCapabilities caps = DomainCapabilitiesXml.parse("""
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
        () -> DomainCapabilitiesXml.parse("<capabilities><host/></capabilities>"));
    assertTrue(notCaps.getMessage().contains("expected <domainCapabilities>"), notCaps.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> DomainCapabilitiesXml.parse("<domainCapabilities><domain>qemu</domain></domainCapabilities>"));
    assertThrows(IllegalArgumentException.class, () -> DomainCapabilitiesXml.parse(
        "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domainCapabilities><machine>&x;</machine>"
            + "</domainCapabilities>"));
  }

  @Test
  void everyCapturedDumpReadsBackTheSameFromItsOwnWriting() {
    for (String name : List.of("qemu-7.2-q35.xml", "qemu-7.2-pc.xml", "qemu-7.2-q35-ovmf-swtpm.xml",
        "qemu-7.2-pc-ovmf-swtpm.xml")) {
      DomainCapabilities caps = DomainCapabilitiesXml.parse(sample(name));
      String written = DomainCapabilitiesXml.toXml(caps);
      assertEquals(caps, DomainCapabilitiesXml.parse(written), name);
      assertEquals(written, DomainCapabilitiesXml.toXml(DomainCapabilitiesXml.parse(written)), name);
    }
  }

  @Test
  void firmwareOfferedIsReadFromTheOvmfDump() {
    DomainCapabilities caps = DomainCapabilitiesXml.parse(sample("qemu-7.2-q35-ovmf-swtpm.xml"));
    assertTrue(caps.os().efi());
    assertTrue(caps.os().secureBoot());
    assertEquals(Optional.of(List.of("tpm-tis", "tpm-crb")), caps.values("tpm", "model"));
  }
}
