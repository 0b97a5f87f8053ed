package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.VirtType;
import io.vguest.guest.Violation;
import io.vguest.libvirt.HostFacts;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.libvirt.HypervisorException.Kind;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.NodeDeviceSupport.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeDeviceSupportTest {

  static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** A stamped guest: q35 alias as a profile may leave it, an ide data disk of its own, a NIC model of its own. */
  static VirtualGuest guest(String machineType, String dataBus, String nicModel) throws Exception {
    return YAML.readValue("""
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: web-1, namespace: demo}
        spec:
          nodeName: node-a
          resources: {cpus: 1, memory: 1Gi}
          machineType: %s
          osFamily: linux
          devices: {diskBus: virtio, cdromBus: sata, floppyBus: fdc, rescueBus: virtio, inputBus: virtio,
                    pointerModel: usbtablet, rngModel: virtio, scsiModel: virtio-scsi, videoModel: virtio,
                    vifModel: virtio}
          disks:
            - {name: root, role: root, source: {volume: {pool: default, name: root.qcow2}}}
            - {name: data, role: data, bus: %s, source: {volume: {pool: default, name: data.qcow2}}}
          interfaces:
            - {name: eth0, network: default, model: %s}
        """.formatted(machineType, dataBus, nicModel), VirtualGuest.class);
  }

  /** A captured {@code virsh domcapabilities} of the test resources' {@code domcaps/}. */
  static String sample(String name) {
    try (InputStream in = NodeDeviceSupportTest.class.getResourceAsStream("/domcaps/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample /domcaps/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A hypervisor that answers domain capabilities from the captured QEMU 7.2 samples and counts the calls. */
  static final class SampleNode {
    final List<String> asked = new ArrayList<>();

    Hypervisor hypervisor() {
      return (Hypervisor) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Hypervisor.class},
          (proxy, method, args) -> switch (method.getName()) {
            case "domainCapabilitiesXml" -> {
              String machine = (String) args[0];
              asked.add(machine + "/" + args[1]);
              yield switch (machine) {
                case "q35", "pc-q35-7.2" -> Optional.of(sample("qemu-7.2-q35.xml"));
                case "pc", "pc-i440fx-7.2" -> Optional.of(sample("qemu-7.2-pc.xml"));
                default -> throw new HypervisorException(Kind.INVALID_CONFIG, "read domain capabilities: invalid "
                    + "argument: the machine '" + machine + "' is not supported by emulator "
                    + "'/usr/bin/qemu-system-x86_64'", "VIR_ERR_INVALID_ARG", null);
              };
            }
            case "hostFacts" -> new HostFacts("qemu:///system", "9.0.0", "9.0.0", "QEMU", "7.2.22", "node-a",
                Optional.empty());
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }
  }

  @Test
  void aliasResolvesToTheNodesVersionedMachineType() {
    SampleNode node = new SampleNode();
    NodeDeviceSupport support = new NodeDeviceSupport(node.hypervisor(), VirtType.QEMU);
    assertEquals("pc-q35-7.2", support.canonicalMachineType("q35"));
    assertEquals("pc-i440fx-7.2", support.canonicalMachineType("pc"));
    assertEquals("pc-q35-7.2", support.canonicalMachineType("pc-q35-7.2"));
    assertEquals(List.of("q35/qemu", "pc/qemu", "pc-q35-7.2/qemu"), node.asked, "each machine type is read once");
  }

  @Test
  void linuxGuestPassesOnTheNode() throws Exception {
    NodeDeviceSupport support = new NodeDeviceSupport(new SampleNode().hypervisor(), VirtType.QEMU);
    NodeDeviceSupport.Report report = support.check(guest("q35", "scsi", "e1000e"));
    assertEquals(List.of(), report.violations());
    assertTrue(report.nodeChecked());
    assertEquals("pc-q35-7.2", report.machineType());
  }

  @Test
  void problemsNameTheFieldTheValueAndWhatTheNodeOffers() throws Exception {
    NodeDeviceSupport support = new NodeDeviceSupport(new SampleNode().hypervisor(), VirtType.KVM);
    NodeDeviceSupport.Report report = support.check(guest("q35", "ide", "igb"));
    assertEquals(List.of(
        new Violation("spec.disks[1].bus", "Invalid value: \"ide\": machine type \"pc-q35-7.2\" (q35) has no IDE "
            + "controller; use sata or scsi"),
        new Violation("spec.interfaces[0].model", "Unsupported value: \"igb\": needs QEMU 8.0 or newer, this node has "
            + "QEMU 7.2.22; use e1000e, e1000, virtio or rtl8139")), report.violations());
  }

  @Test
  void ideIsFineOnI440fx() throws Exception {
    NodeDeviceSupport support = new NodeDeviceSupport(new SampleNode().hypervisor(), VirtType.QEMU);
    assertEquals(List.of(), support.check(guest("pc", "ide", "rtl8139")).violations());
  }

  @Test
  void machineTypeTheEmulatorLacksIsNamed() throws Exception {
    NodeDeviceSupport support = new NodeDeviceSupport(new SampleNode().hypervisor(), VirtType.QEMU);
    assertEquals(Status.MACHINE_UNSUPPORTED, support.lookup("pc-q35-9.9").status());
    NodeDeviceSupport.Report report = support.check(guest("pc-q35-9.9", "scsi", "virtio"));
    assertEquals(List.of(new Violation("spec.machineType", "Unsupported value: \"pc-q35-9.9\": the machine "
        + "'pc-q35-9.9' is not supported by emulator '/usr/bin/qemu-system-x86_64'; `virsh capabilities` on the node "
        + "lists the machine types it offers")), report.violations());
    assertFalse(report.nodeChecked());
  }

  @Test
  void aLostConnectionIsThrownAndNotRemembered() {
    int[] calls = {0};
    Hypervisor down = (Hypervisor) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Hypervisor.class}, (proxy, method, args) -> {
          calls[0]++;
          throw new HypervisorException(Kind.CONNECTION_LOST, "not connected");
        });
    NodeDeviceSupport support = new NodeDeviceSupport(down, VirtType.QEMU);
    assertThrows(HypervisorException.class, () -> support.lookup("q35"));
    assertThrows(HypervisorException.class, () -> support.lookup("q35"));
    assertEquals(2, calls[0]);
  }

  @Test
  void forgetReadsTheNodeAgain() {
    SampleNode node = new SampleNode();
    NodeDeviceSupport support = new NodeDeviceSupport(node.hypervisor(), VirtType.QEMU);
    support.lookup("q35");
    support.forget();
    support.lookup("q35");
    assertEquals(List.of("q35/qemu", "q35/qemu"), node.asked);
  }

  @Test
  void testDriverOffersNoDomainCapabilitiesSoOnlyStaticRulesApply() throws Exception {
    try (LibvirtHypervisor hypervisor = new LibvirtHypervisor("test:///default")) {
      NodeDeviceSupport support = new NodeDeviceSupport(hypervisor, VirtType.QEMU);
      assertEquals(Status.UNKNOWN, support.lookup("q35").status());
      assertEquals("q35", support.canonicalMachineType("q35"));
      NodeDeviceSupport.Report fine = support.check(guest("q35", "scsi", "igb"));
      assertEquals(List.of(), fine.violations(), "igb is only known to be missing from what a node reports");
      assertFalse(fine.nodeChecked());
      NodeDeviceSupport.Report ide = support.check(guest("q35", "ide", "virtio"));
      assertEquals(List.of("spec.disks[1].bus"), ide.violations().stream().map(Violation::field).toList());
    }
  }

  @Test
  void aNodeWithoutOvmfAndSwtpmRefusesAUefiGuestWithATpmNamingWhatIsMissing() throws Exception {
    VirtualGuest guest = guest("q35", "virtio", "virtio");
    guest.getSpec().firmware = new io.vguest.api.v1alpha1.Firmware();
    guest.getSpec().firmware.bootMode = io.vguest.devices.BootMode.UEFI;
    guest.getSpec().firmware.secureBoot = false;
    guest.getSpec().firmware.tpm = io.vguest.devices.TpmVersion.V2_0;
    NodeDeviceSupport.Report report = new NodeDeviceSupport(new SampleNode().hypervisor(), VirtType.QEMU).check(guest);
    assertEquals(List.of("spec.firmware.bootMode", "spec.firmware.tpm"),
        report.violations().stream().map(Violation::field).toList(), report.violations().toString());
    assertTrue(report.violations().get(0).message().contains("install the ovmf package"), report.toString());
    assertTrue(report.violations().get(1).message().contains("install the swtpm and swtpm-tools packages"),
        report.toString());
  }
}
