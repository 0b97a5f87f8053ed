package io.vguest.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.SyncFixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of the watch cache's MAC index, which must never fail on a guest, however broken. */
class MacKeysTest {

  @Test
  void ownAndStampedMacsInLowerCase() {
    VirtualGuest guest = SyncFixtures.guest(NodeAgentTest.WEB.replace("network: default",
        "network: default\n      macAddress: \"52:54:00:AB:CD:EF\"\n    - name: eth1\n      network: default"));
    guest.getSpec().identity = new io.vguest.api.v1alpha1.GuestIdentity();
    guest.getSpec().identity.macAddresses = Map.of("eth0", "52:54:00:00:00:01", "eth1", "52:54:00:00:00:02");
    assertEquals(List.of("52:54:00:ab:cd:ef", "52:54:00:00:00:02"), GuestHandler.macKeys(guest));
  }

  @Test
  void brokenGuestsHaveNoKeysInsteadOfFailingTheIndex() {
    VirtualGuest guest = SyncFixtures.guest(NodeAgentTest.WEB);
    guest.getSpec().interfaces = new ArrayList<>(Arrays.asList(null, new NetworkInterface()));
    assertEquals(List.of(), GuestHandler.macKeys(guest));
    guest.setSpec(null);
    assertEquals(List.of(), GuestHandler.macKeys(guest));
  }
}
