package io.vguest.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MacConflictsTest {

  private static final Map<String, String> WEB = Map.of("nic0", "52:54:00:AB:CD:EF");

  @Test
  void anInterfacesOwnMacWinsOverTheStampedOne() {
    Map<String, String> macs = MacConflicts.macsByNic(List.of(new MacConflicts.Nic("nic1", null),
        new MacConflicts.Nic("nic0", "52:54:00:00:00:01"), new MacConflicts.Nic(null, "52:54:00:00:00:09"),
        new MacConflicts.Nic("nic2", null)), Map.of("nic0", "02:00:00:00:00:00", "nic1", "02:00:00:00:00:01"));
    assertEquals(Map.of("nic0", "52:54:00:00:00:01", "nic1", "02:00:00:00:00:01"), macs);
    assertEquals(List.of("52:54:00:00:00:01", "02:00:00:00:00:01"), MacConflicts.indexKeys(macs));
  }

  @Test
  void theSameMacOnAnotherGuestOfThisNodeIsNamed() {
    var web = new MacConflicts.Holder("demo/web", true, WEB);
    var db = new MacConflicts.Holder("demo/db", true, Map.of("eth0", "52:54:00:ab:cd:ef"));
    assertEquals(Optional.of("spec.interfaces[nic0]: MAC address 52:54:00:AB:CD:EF is already used by interface "
            + "eth0 of guest demo/db on node node-a; give one of them another macAddress"),
        MacConflicts.conflict(web, mac -> mac.equals("52:54:00:ab:cd:ef") ? List.of(web, db) : List.of(), "node-a"));
  }

  @Test
  void itselfAndGuestsOfOtherNodesAreNoConflict() {
    var web = new MacConflicts.Holder("demo/web", true, WEB);
    var elsewhere = new MacConflicts.Holder("demo/db", false, WEB);
    assertEquals(Optional.empty(), MacConflicts.conflict(web, mac -> List.of(web, elsewhere), "node-a"));
  }
}
