package io.vguest.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityGeneratorTest {

  private final IdentityGenerator generator = new IdentityGenerator("cluster-seed");

  @Test
  void sameSeedAndNameGiveSameIdentity() {
    IdentityGenerator other = new IdentityGenerator("cluster-seed");
    assertEquals(generator.firmwareUuid("demo", "web-1"), other.firmwareUuid("demo", "web-1"));
    assertEquals(generator.systemSerial("demo", "web-1"), other.systemSerial("demo", "web-1"));
    assertEquals(generator.diskSerial("demo", "web-1", "root"), other.diskSerial("demo", "web-1", "root"));
    assertEquals(generator.macAddress("demo", "web-1", "eth0"), other.macAddress("demo", "web-1", "eth0"));
  }

  @Test
  void otherSeedGivesOtherIdentity() {
    IdentityGenerator other = new IdentityGenerator("another-seed");
    assertNotEquals(generator.firmwareUuid("demo", "web-1"), other.firmwareUuid("demo", "web-1"));
    assertNotEquals(generator.diskSerial("demo", "web-1", "root"), other.diskSerial("demo", "web-1", "root"));
  }

  @Test
  void namespaceAndNameBoundaryIsUnambiguous() {
    assertNotEquals(generator.firmwareUuid("a", "bc"), generator.firmwareUuid("ab", "c"));
  }

  @Test
  void uuidIsNameBasedRfc4122AndDiffersFromSerial() {
    UUID uuid = UUID.fromString(generator.firmwareUuid("demo", "web-1"));
    assertEquals(5, uuid.version());
    assertEquals(2, uuid.variant());
    assertNotEquals(generator.firmwareUuid("demo", "web-1"), generator.systemSerial("demo", "web-1"));
  }

  @Test
  void diskSerialIsTwentySafeCharactersShownWholeOnEveryBus() {
    String serial = generator.diskSerial("demo", "web-1", "root");
    assertEquals(20, serial.length());
    assertTrue(serial.matches("[A-Z2-7]{20}"), serial);
  }

  @Test
  void macIsLocallyAdministeredUnicastOutsideQemuPrefix() {
    String mac = generator.macAddress("demo", "web-1", "eth0");
    assertTrue(mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}"), mac);
    int first = Integer.parseInt(mac.substring(0, 2), 16);
    assertEquals(0x02, first & 0x03, "locally administered, unicast: " + mac);
    assertTrue(!mac.startsWith("52:54:00"));
  }

  @Test
  void hostIdIsSharedPerNodeAndNamespaceOnly() {
    assertEquals(generator.hostId("node-a", "demo"), generator.hostId("node-a", "demo"));
    assertNotEquals(generator.hostId("node-a", "demo"), generator.hostId("node-b", "demo"));
    assertNotEquals(generator.hostId("node-a", "demo"), generator.hostId("node-a", "prod"));
  }

  @Test
  void emptySeedIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new IdentityGenerator(" "));
  }

  /** Many guests, the same names in different namespaces among them: no value is ever shared. */
  @Test
  void noTwoGuestsShareAnyGeneratedValue() {
    Set<String> uuids = new HashSet<>();
    Set<String> serials = new HashSet<>();
    Set<String> diskSerials = new HashSet<>();
    Set<String> macs = new HashSet<>();
    int guests = 0;
    for (int ns = 0; ns < 40; ns++) {
      for (int n = 0; n < 100; n++) {
        String namespace = "team-" + ns;
        String name = "vm-" + n;
        guests++;
        assertTrue(uuids.add(generator.firmwareUuid(namespace, name)), namespace + "/" + name);
        assertTrue(serials.add(generator.systemSerial(namespace, name)), namespace + "/" + name);
        assertTrue(diskSerials.add(generator.diskSerial(namespace, name, "root")));
        assertTrue(diskSerials.add(generator.diskSerial(namespace, name, "data")));
        assertTrue(macs.add(generator.macAddress(namespace, name, "eth0")));
      }
    }
    assertEquals(guests, uuids.size());
  }

  @Test
  void generationIdIsStableForOneRestoreCountAndNewForTheNext() {
    String first = generator.generationId("demo", "web-1", 0);
    assertEquals(first, new IdentityGenerator("cluster-seed").generationId("demo", "web-1", 0));
    assertNotEquals(first, generator.generationId("demo", "web-1", 1));
    assertNotEquals(first, generator.generationId("demo", "web-2", 0));
    assertNotEquals(first, generator.firmwareUuid("demo", "web-1"));
    assertEquals(5, UUID.fromString(first).version());
  }

  @Test
  void diskWwnIsNaa5WithALocallyAssignedCompanyIdAndDiffersPerDisk() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String wwn = generator.diskWwn("demo", "web-" + i, "data");
      assertTrue(wwn.matches("^5[0-9a-f]{15}$"), wwn);
      assertEquals(0xa, Character.digit(wwn.charAt(2), 16), wwn + ": company id's first octet ends in 1010");
      assertTrue(seen.add(wwn), "unique: " + wwn);
    }
    assertNotEquals(generator.diskWwn("demo", "web-1", "data"), generator.diskWwn("demo", "web-1", "root"));
    assertEquals(generator.diskWwn("demo", "web-1", "data"),
        new IdentityGenerator("cluster-seed").diskWwn("demo", "web-1", "data"));
  }
}
