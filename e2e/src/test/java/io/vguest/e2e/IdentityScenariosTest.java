package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static io.vguest.e2e.GuestExpectations.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DiskBus;
import io.vguest.libvirt.DomainState;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenarios 1 to 4 of one guest's life: created with generated identity, evacuated to another
 * node, deleted and re-created from its manifest, and given another disk bus while running. Each
 * step checks what the guest itself reports against its spec and status.
 */
@ExtendWith(E2eEnvironment.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityScenariosTest {

  private static final String NAME = "web-1";
  private static final String MANIFEST = Guests.linux(NAME, "a");

  private final E2eCluster cluster;
  /** What the guest reported when it was first created; later steps must see the same identity. */
  private GuestExpectations.SeenIdentity first;
  private VirtualGuest guest;

  IdentityScenariosTest(E2eCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeAll
  void createVolumes(E2eEnvironment.Setup setup) {
    setup.createDisk(NAME + "-root.raw");
    setup.createDisk(NAME + "-data.raw");
  }

  @Test
  @Order(1)
  void generatedIdentityIsWhatTheGuestSees() {
    guest = cluster.apply(MANIFEST);

    assertEquals("a", guest.getStatus().node);
    assertEquals("Running", guest.getStatus().state);
    assertNotNull(guest.getSpec().firmware.serial, "serial stamped into the spec");
    assertEquals(3, guest.getSpec().identity.diskSerials.size(), "a serial stamped for each disk");
    GuestReport report = cluster.node("a").awaitReport(guest);

    assertGuestSees(guest, report, "a");
    assertEquals(guest.getSpec().firmware.serial, report.productSerial());
    assertEquals("", report.chassisSerial(), "node a does not expose its serial as chassis serial");
    assertEquals("virtio", report.diskWithSerial(serialOf("root")).orElseThrow().bus());
    assertEquals("sata", report.diskWithSerial(serialOf("install")).orElseThrow().bus(), "cdrom on sata (q35)");
    first = seen(report);
  }

  @Test
  @Order(2)
  void evacuationToAnotherNodeKeepsTheIdentity() {
    guest = cluster.stop(guest);
    assertEquals("Stopped", guest.getStatus().state);
    assertTrue(GuestConsole.read(cluster.node("a").console(guest)).contains("power button pressed"),
        "stopped by an ACPI shutdown the guest handled, not forced off");

    guest = cluster.move(guest, "b");
    guest = cluster.start(guest);

    assertEquals("b", guest.getStatus().node);
    assertEquals("Running", guest.getStatus().state);
    assertFalse(cluster.node("a").daemon.domains().contains(E2eNode.domainName(guest)),
        "node a holds no domain of the guest after the move");
    GuestReport report = cluster.node("b").awaitReport(guest);
    assertGuestSees(guest, report, "b");
    GuestExpectations.SeenIdentity onB = seen(report);
    assertEquals(first.serial(), onB.serial());
    assertEquals(first.uuid(), onB.uuid());
    assertEquals(first.disksBySerial(), onB.disksBySerial());
    assertEquals(first.nicDrivers(), onB.nicDrivers(), "same MACs and NIC models");
    assertEquals(cluster.node("b").hostSerial(), report.chassisSerial(), "node b exposes its serial as chassis serial");
  }

  @Test
  @Order(3)
  void deletedAndReappliedGuestGetsTheSameIdentity() {
    cluster.delete(guest);
    assertFalse(cluster.node("b").daemon.domains().contains(E2eNode.domainName(guest)),
        "deleting the guest undefines its domain");
    assertFalse(cluster.exists(guest));

    guest = cluster.apply(MANIFEST);

    assertEquals("a", guest.getStatus().node);
    GuestReport report = cluster.node("a").awaitReport(guest);
    assertGuestSees(guest, report, "a");
    assertEquals(first, seen(report), "the re-created guest sees exactly what the first one saw");
  }

  @Test
  @Order(4)
  void diskBusChangeWaitsForARestartThenTheGuestSeesScsiWithTheSameSerials() {
    guest = cluster.edit(guest, spec -> spec.devices.diskBus = DiskBus.SCSI);

    assertEquals("Running", guest.getStatus().state);
    Condition restart = condition(guest, "RestartRequired");
    assertEquals("True", restart.getStatus(), restart.getMessage());
    assertTrue(guest.getStatus().pendingChanges.contains("spec.devices.diskBus"), guest.getStatus().pendingChanges
        .toString());
    String xml = cluster.node("a").daemon.virsh("dumpxml", E2eNode.domainName(guest)).orThrow();
    assertFalse(xml.contains("bus='scsi'"), "the running guest's domain is left as it was");
    assertEquals(DomainState.RUNNING, cluster.node("a").hypervisor().lookup(E2eNode.domainName(guest)).orElseThrow()
        .state());

    guest = cluster.stop(guest);
    guest = cluster.start(guest);

    assertEquals("False", condition(guest, "RestartRequired").getStatus());
    GuestReport report = cluster.node("a").awaitReport(guest);
    assertEquals(1, GuestConsole.read(cluster.node("a").console(guest)).lines()
        .filter(l -> l.strip().equals(GuestReport.BEGIN)).count(), "QEMU started the console file afresh");
    assertGuestSees(guest, report, "a");
    for (String disk : List.of("root", "data")) {
      GuestReport.GuestDisk seen = report.diskWithSerial(serialOf(disk)).orElseThrow(() ->
          new AssertionError("no disk with the serial of " + disk + " in " + report.disks()));
      assertEquals("scsi", seen.bus(), disk);
      assertEquals("virtio_scsi", seen.hostDriver(), disk);
    }
    assertEquals(first.serial(), report.productSerial());
    assertEquals(first.uuid(), report.productUuid().toLowerCase());
  }

  private String serialOf(String disk) {
    return guest.getSpec().identity.diskSerials.get(disk);
  }

  private static Condition condition(VirtualGuest guest, String type) {
    return guest.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + guest.getStatus().conditions));
  }
}
