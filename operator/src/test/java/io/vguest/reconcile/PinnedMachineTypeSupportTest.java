package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.VirtType;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.Hypervisor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node whose QEMU lacks a guest's pinned machine type refuses the guest instead of changing it. */
class PinnedMachineTypeSupportTest {

  static final String CAPABILITIES = """
      <capabilities><host/><guest><os_type>hvm</os_type><arch name='x86_64'>
        <machine maxCpus='288'>pc-q35-8.0</machine>
        <machine canonical='pc-q35-8.0' maxCpus='288'>q35</machine>
        <machine maxCpus='288'>pc-q35-7.2</machine>
        <machine maxCpus='255'>pc-i440fx-8.0</machine>
        <machine maxCpus='255' deprecated='yes'>pc-i440fx-1.5</machine>
      </arch></guest></capabilities>
      """;

  @Test
  void aPinnedTypeTheNodeLacksIsRefusedNamingItAndTheNodesTypesOfItsFamily() throws Exception {
    VirtualGuest guest = NodeDeviceSupportTest.guest("q35", "virtio", "virtio");
    guest.getSpec().identity = new io.vguest.api.v1alpha1.GuestIdentity();
    guest.getSpec().identity.machineType = "pc-q35-6.2";
    guest.getSpec().identity.machineTypeFor = "q35";
    NodeDeviceSupportTest.SampleNode sample = new NodeDeviceSupportTest.SampleNode();
    Hypervisor node = new ForwardingHypervisor(sample.hypervisor()) {
      @Override
      public String hostCapabilitiesXml() {
        return CAPABILITIES;
      }
    };
    NodeDeviceSupport.Report report = new NodeDeviceSupport(node, VirtType.QEMU).check(guest);
    assertEquals(1, report.violations().size(), report.violations().toString());
    var violation = report.violations().get(0);
    assertEquals("spec.identity.machineType", violation.field());
    assertTrue(violation.message().startsWith("Unsupported value: \"pc-q35-6.2\": the machine 'pc-q35-6.2' is not "
        + "supported"), violation.message());
    assertTrue(violation.message().endsWith("this node offers pc-q35-7.2, pc-q35-8.0"), violation.message());
    assertEquals(List.of("pc-q35-6.2/qemu"), sample.asked, "never the alias: the pin is what is checked");
  }
}
