package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 11: device addresses stamped for life. A guest with three virtio disks and two NICs is
 * changed four times, each while stopped: a NIC added at the end, the middle disk removed, a NIC
 * inserted first in the list, a move to the other node. After each start every device that was
 * there before has the same PCI address in the domain libvirt holds, and the booted guest finds
 * each disk serial and each MAC at the same PCI path (the chain of PCI addresses from the root bus,
 * which is what Linux names NICs after and Windows keys adapters on). The generation ID in the
 * domain, and as the guest reads it, stays the same across these stops, starts and the move.
 */
@ExtendWith(E2eEnvironment.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceAddressScenarioTest {

  private static final String NAME = "addr-1";
  private static final Pattern PCI_PATH =
      Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7](/[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7])*");

  private static final String MANIFEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata:
        name: %1$s
      spec:
        nodeName: a
        resources: {cpus: 1, memory: 256Mi}
      %2$s  disks:
          - name: root
            role: root
            source: {volume: {pool: %3$s, name: %1$s-root.raw}}
          - name: data1
            role: data
            source: {volume: {pool: %3$s, name: %1$s-data1.raw}}
          - name: data2
            role: data
            source: {volume: {pool: %3$s, name: %1$s-data2.raw}}
        interfaces:
          - name: eth0
            userMode: true
          - name: eth1
            userMode: true
      """.formatted(NAME, Guests.kernelBoot(3, 2), E2eNode.POOL);

  /** Where a device is: its address in the domain XML and the PCI path the guest found it at. */
  record Placement(String domainAddress, String guestPath) {}

  private final E2eCluster cluster;
  private VirtualGuest guest;
  /** Every device after the last boot, keyed by "disk name serial" or "interface name mac". */
  private Map<String, Placement> placed;
  private String generationId;

  DeviceAddressScenarioTest(E2eCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeAll
  void createVolumes(E2eEnvironment.Setup setup) {
    for (String disk : List.of("root", "data1", "data2")) {
      setup.createDisk(NAME + "-" + disk + ".raw");
    }
  }

  @Test
  @Order(1)
  void theFirstDefinitionsAddressesAreStampedAndTheGuestBootsWithThem() {
    guest = cluster.apply(MANIFEST);

    assertEquals("Running", guest.getStatus().state);
    placed = placements("a");
    assertEquals(5, placed.size(), placed.toString());
    assertNotNull(guest.getSpec().identity.generationId, "a generation ID is stamped");
    generationId = guest.getSpec().identity.generationId;
  }

  @Test
  @Order(2)
  void aNicAddedAtTheEndMovesNoOtherDevice() {
    restartWith("a", 0, spec -> {
      spec.interfaces.add(userModeNic("eth2"));
      spec.kernelBoot.cmdline = Guests.cmdline(3, 3);
    });
  }

  @Test
  @Order(3)
  void removingTheMiddleDiskMovesNoOtherDevice() {
    restartWith("a", 1, spec -> {
      spec.disks.removeIf(d -> d.name.equals("data1"));
      spec.kernelBoot.cmdline = Guests.cmdline(2, 3);
    });
  }

  @Test
  @Order(4)
  void aNicInsertedFirstMovesNoOtherDevice() {
    restartWith("a", 0, spec -> {
      spec.interfaces.add(0, userModeNic("lan0"));
      spec.kernelBoot.cmdline = Guests.cmdline(2, 4);
    });
  }

  @Test
  @Order(5)
  void aMoveToTheOtherNodeMovesNoDevice() {
    guest = cluster.stop(guest);
    guest = cluster.move(guest, "b");
    guest = cluster.start(guest);

    assertEquals("b", guest.getStatus().node);
    assertSamePlaces(placements("b"), 0);
  }

  /**
   * Stops the guest, changes its spec (removing {@code removed} devices), starts it, and checks
   * that no device that stays has moved.
   */
  private void restartWith(String node, int removed, Consumer<VirtualGuestSpec> change) {
    guest = cluster.stop(guest);
    guest = cluster.edit(guest, change);
    guest = cluster.start(guest);
    assertSamePlaces(placements(node), removed);
  }

  /** Every device placed before, but the removed ones, is where it was, in the domain and in the guest. */
  private void assertSamePlaces(Map<String, Placement> now, int removed) {
    Map<String, Placement> before = new TreeMap<>(placed);
    before.keySet().retainAll(now.keySet());
    Map<String, Placement> after = new TreeMap<>(now);
    after.keySet().retainAll(before.keySet());
    assertEquals(placed.size() - removed, before.size(), "devices kept: " + placed + " -> " + now);
    assertEquals(before, after, "devices that were there before, by domain address and PCI path in the guest");
    placed = now;
  }

  /**
   * Where each disk and NIC of the guest is now on {@code node}: its address in the domain XML
   * (which must also be the stamped one and the one status shows) and the PCI path the booted
   * guest reports for its serial or MAC. Also checks that the domain's generation ID is the stamped
   * one, is what the guest reads, and has not changed.
   */
  private Map<String, Placement> placements(String node) {
    GuestReport report = cluster.node(node).awaitReport(guest);
    DomainDevices domain = DomainDevices.of(cluster.node(node), guest);
    guest = awaitStamped();
    VirtualGuestSpec spec = guest.getSpec();
    Map<String, String> expectedStamps = new TreeMap<>();
    Map<String, String> domainAddresses = new TreeMap<>();
    Map<String, Placement> placements = new TreeMap<>();
    for (Disk disk : spec.disks) {
      String serial = disk.serial != null ? disk.serial : spec.identity.diskSerials.get(disk.name);
      String address = domain.diskAddresses().get(serial);
      String path = report.diskWithSerial(serial).map(GuestReport.GuestDisk::pciPath).orElseThrow(() ->
          new AssertionError("the guest sees no disk with serial " + serial + " (" + disk.name + "): "
              + report.disks()));
      placements.put("disk " + disk.name + " " + serial, placement(address, path));
      expectedStamps.put("disk." + disk.name, address);
    }
    for (NetworkInterface nic : spec.interfaces) {
      String mac = GuestExpectations.macOf(spec, nic);
      String address = domain.nicAddresses().get(mac);
      String path = report.nicWithMac(mac).map(GuestReport.GuestNic::pciPath).orElseThrow(() ->
          new AssertionError("the guest sees no NIC with MAC " + mac + " (" + nic.name + "): " + report.nics()));
      placements.put("interface " + nic.name + " " + mac, placement(address, path));
      expectedStamps.put("interface." + nic.name, address);
    }
    spec.deviceAddresses.forEach((key, value) -> {
      if (expectedStamps.containsKey(key)) {
        domainAddresses.put(key, value);
      }
    });
    assertEquals(expectedStamps, domainAddresses, "spec.deviceAddresses of the disks and NICs is what the domain "
        + "on node " + node + " has");
    Map<String, String> shown = new TreeMap<>(guest.getStatus().deviceAddresses);
    shown.keySet().retainAll(expectedStamps.keySet());
    assertEquals(expectedStamps, shown, "status.deviceAddresses");
    assertGenerationId(domain, report);
    return placements;
  }

  private static Placement placement(String address, String guestPath) {
    assertTrue(address != null && address.startsWith("pci:"), "a PCI address in the domain: " + address);
    assertTrue(guestPath != null && PCI_PATH.matcher(guestPath).matches(), "a PCI path in the guest: " + guestPath);
    return new Placement(address, guestPath);
  }

  private void assertGenerationId(DomainDevices domain, GuestReport report) {
    String stamped = guest.getSpec().identity.generationId;
    assertEquals(stamped, domain.generationId(), "the domain's genid is the stamped generation ID");
    assertEquals(stamped, report.generationId(), "the generation ID the guest reads");
    if (generationId != null) {
      assertEquals(generationId, stamped, "the generation ID stays across stop/start and moves");
    }
  }

  /** The guest once the addresses libvirt gave its new devices are stamped (a patch after the define). */
  private VirtualGuest awaitStamped() {
    return cluster.await("device addresses of " + NAME + " stamped", () -> cluster.get(guest), g -> {
      Map<String, String> stamped = g.getSpec().deviceAddresses == null ? Map.of() : g.getSpec().deviceAddresses;
      List<String> keys = new ArrayList<>();
      g.getSpec().disks.forEach(d -> keys.add("disk." + d.name));
      g.getSpec().interfaces.forEach(n -> keys.add("interface." + n.name));
      return stamped.keySet().containsAll(keys) && g.getStatus() != null && g.getStatus().deviceAddresses != null
          && g.getStatus().deviceAddresses.keySet().containsAll(keys);
    });
  }

  private static NetworkInterface userModeNic(String name) {
    NetworkInterface nic = new NetworkInterface();
    nic.name = name;
    nic.userMode = true;
    return nic;
  }
}
