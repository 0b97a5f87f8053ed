package io.vguest.reconcile;

import static io.vguest.reconcile.SyncFixtures.NODE;
import static io.vguest.reconcile.SyncFixtures.SETTINGS;
import static io.vguest.reconcile.SyncFixtures.WEB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.libvirt.LibvirtHypervisor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest's TPM state hands over between two nodes: each node is a libvirt test-driver node with
 * its own swtpm directory; their pools share one storage, like the shared pool of a real cluster.
 * libvirt's test driver keeps no swtpm state and streams no volumes, so the state file swtpm would
 * write is written by the test, and small volumes are kept in the shared storage beside the test
 * driver's own volumes. The end-to-end suite runs the same hand-over with swtpm and libvirtd.
 */
class TpmHandOverTest {

  private static final String WINDOWS = WEB.replace("nodeName: node-a", "nodeName: node-a\n  osFamily: windows\n"
      + "  runStrategy: Manual");
  private static final String PERMALL = "tpm2-00.permall";

  @TempDir Path dir;
  private final Map<String, byte[]> sharedStorage = new ConcurrentHashMap<>();
  private LibvirtHypervisor libvirtA;
  private LibvirtHypervisor libvirtB;
  private Hypervisor nodeA;
  private Hypervisor nodeB;

  /** Small volumes of the shared pool, read and written whole, as libvirt's volume streams do. */
  private final class SharedPool extends ForwardingHypervisor {
    SharedPool(Hypervisor delegate) {
      super(delegate);
    }

    @Override public Optional<byte[]> readVolume(String pool, String volumeName, int maxBytes) {
      return Optional.ofNullable(sharedStorage.get(pool + "/" + volumeName));
    }

    @Override public void writeVolume(String pool, String volumeName, byte[] content) {
      sharedStorage.put(pool + "/" + volumeName, content.clone());
    }

    @Override public boolean volumeExists(String pool, String volumeName) {
      return sharedStorage.containsKey(pool + "/" + volumeName) || delegate.volumeExists(pool, volumeName);
    }

    @Override public boolean deleteVolume(String pool, String volumeName) {
      return sharedStorage.remove(pool + "/" + volumeName) != null | delegate.deleteVolume(pool, volumeName);
    }
  }

  @BeforeEach
  void nodes() throws Exception {
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    libvirtA = new LibvirtHypervisor(SyncFixtures.testNode(dir.resolve("a")));
    libvirtB = new LibvirtHypervisor(SyncFixtures.testNode(dir.resolve("b")));
    assertTrue(libvirtA.awaitConnected(Duration.ofSeconds(10)) && libvirtB.awaitConnected(Duration.ofSeconds(10)));
    nodeA = new SharedPool(libvirtA);
    nodeB = new SharedPool(libvirtB);
  }

  @AfterEach
  void close() {
    libvirtA.close();
    libvirtB.close();
  }

  private GuestSync sync(Hypervisor hv, String node, Path swtpm) {
    NodeFacts facts = new NodeFacts(node, NODE.hostSerial(), NODE.libvirtVersion(), NODE.machineAliases());
    return new GuestSync(hv, SETTINGS, facts, Duration.ofSeconds(1), Clock.systemUTC(), swtpm);
  }

  private static Path stateFile(Path swtpm, VirtualGuest guest) {
    return swtpm.resolve(guest.getSpec().firmware.uuid).resolve("tpm2").resolve(PERMALL);
  }

  @Test
  void theTpmStateOfAStoppedGuestMovesToTheNextNodeAndIsDeletedWithTheGuest() throws Exception {
    VirtualGuest guest = SyncFixtures.stamped(WINDOWS);
    Path swtpmA = Files.createDirectories(dir.resolve("swtpm-a"));
    Path swtpmB = Files.createDirectories(dir.resolve("swtpm-b"));
    GuestSync a = sync(nodeA, "node-a", swtpmA);

    SyncResult defined = a.sync(guest);
    assertEquals(DomainState.STOPPED, defined.state(), defined.status().conditions.toString());
    assertEquals("uefi", defined.status().firmware.bootMode);
    assertEquals("default/demo_web-1_tpm.state", defined.status().firmware.tpmState);
    assertEquals("default/demo_web-1_nvram.fd", defined.status().firmware.nvram);
    assertTrue(libvirtA.dumpXml("demo_web-1").contains("<tpm model='tpm-crb'>"));

    // What swtpm wrote while the guest ran on node A: its endorsement key lives in here.
    byte[] tpm = "endorsement seed 6f1c7b9e".getBytes(StandardCharsets.US_ASCII);
    Files.createDirectories(stateFile(swtpmA, guest).getParent());
    Files.write(stateFile(swtpmA, guest), tpm);
    Files.writeString(stateFile(swtpmA, guest).resolveSibling(".lock"), "");
    a.sync(guest);
    assertNotNull(sharedStorage.get("default/demo_web-1_tpm.state"), "saved while the guest is shut off");
    byte[] saved = sharedStorage.get("default/demo_web-1_tpm.state");
    a.sync(guest);
    assertTrue(saved == sharedStorage.get("default/demo_web-1_tpm.state"), "an unchanged state is not written again");

    // The guest moves: node A undefines it (libvirt would delete its swtpm directory), node B defines it.
    a.remove(guest, false);
    Files.delete(stateFile(swtpmA, guest));
    GuestSync b = sync(nodeB, "node-b", swtpmB);
    SyncResult moved = b.sync(guest);
    assertEquals(DomainState.STOPPED, moved.state(), moved.status().conditions.toString());
    assertArrayEquals(tpm, Files.readAllBytes(stateFile(swtpmB, guest)), "the same TPM on node B");
    assertFalse(Files.exists(stateFile(swtpmB, guest).resolveSibling(".lock")), "swtpm's lock file stays behind");

    // Deleting the guest deletes the volumes vguest created for it, nothing else.
    GuestSync.Removal removal = b.remove(guest, true);
    assertTrue(removal.deletedVolumes().contains("default/demo_web-1_tpm.state"), removal.deletedVolumes().toString());
    assertFalse(sharedStorage.containsKey("default/demo_web-1_tpm.state"));
  }

  @Test
  void aDamagedStateVolumeIsNeverRestored() throws Exception {
    VirtualGuest guest = SyncFixtures.stamped(WINDOWS);
    Path swtpm = Files.createDirectories(dir.resolve("swtpm"));
    TpmStateCarrier carrier = new TpmStateCarrier(nodeA, swtpm);
    VolumeRef volume = new VolumeRef("default", "demo_web-1_tpm.state");
    byte[] good = TpmStateCarrier.encode(Map.of(PERMALL, new byte[] {1, 2, 3}));
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    sharedStorage.put("default/demo_web-1_tpm.state", bad);
    String uuid = guest.getSpec().firmware.uuid;
    HypervisorException e = assertThrows(HypervisorException.class, () -> carrier.restore(uuid, volume));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertFalse(Files.exists(swtpm.resolve(uuid)), "nothing written");

    sharedStorage.put("default/demo_web-1_tpm.state", good);
    assertTrue(carrier.restore(uuid, volume));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(swtpm.resolve(uuid).resolve("tpm2").resolve(PERMALL)));
  }
}
