package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5, serial policies: host gives the node's serial, none gives no serial, and unique
 * guests on a node that exposes its serial see it as their chassis serial. The three guests boot
 * at the same time.
 */
@ExtendWith(E2eEnvironment.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SerialPolicyScenariosTest {

  private final E2eCluster cluster;
  private final Map<String, VirtualGuest> guests = new TreeMap<>();
  private final Map<String, GuestReport> reports = new TreeMap<>();

  SerialPolicyScenariosTest(E2eCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeAll
  void bootOneGuestPerPolicy(E2eEnvironment.Setup setup) {
    Map<String, String> guestsAndNodes = Map.of("policy-host", "a", "policy-none", "a", "policy-chassis", "b");
    Map<String, String> firmware = Map.of("policy-host", "{serialPolicy: host}", "policy-none",
        "{serialPolicy: none}", "policy-chassis", "{serialPolicy: unique}");
    for (String name : new TreeMap<>(guestsAndNodes).keySet()) {
      setup.createDisk(name + "-root.raw");
      guests.put(name, cluster.apply(Guests.small(name, guestsAndNodes.get(name), firmware.get(name))));
    }
    guests.forEach((name, guest) -> reports.put(name, cluster.node(guestsAndNodes.get(name)).awaitReport(guest)));
  }

  @Test
  void hostPolicyGivesTheNodesSerial() {
    VirtualGuest guest = guests.get("policy-host");
    GuestReport report = reports.get("policy-host");
    assertEquals(cluster.node("a").hostSerial(), report.productSerial());
    assertEquals(cluster.node("a").hostSerial(), guest.getStatus().serial);
    assertEquals("host (changes when the guest moves)", guest.getStatus().serialSource);
    assertGuestSees(guest, report, "a");
  }

  @Test
  void nonePolicyGivesNoSerial() {
    VirtualGuest guest = guests.get("policy-none");
    GuestReport report = reports.get("policy-none");
    assertEquals("", report.productSerial());
    assertGuestSees(guest, report, "a");
    assertEquals(guest.getSpec().firmware.uuid.toLowerCase(), report.productUuid().toLowerCase(),
        "the uuid is there without a serial");
  }

  @Test
  void chassisSerialIsTheNodesSerialWhereTheNodeExposesIt() {
    VirtualGuest guest = guests.get("policy-chassis");
    GuestReport report = reports.get("policy-chassis");
    assertEquals(guest.getSpec().firmware.serial, report.productSerial(), "the guest keeps its own system serial");
    assertEquals(cluster.node("b").hostSerial(), report.chassisSerial());
    assertEquals(report.chassisSerial(), guest.getStatus().chassisSerial);
    assertGuestSees(guest, report, "b");
  }
}
