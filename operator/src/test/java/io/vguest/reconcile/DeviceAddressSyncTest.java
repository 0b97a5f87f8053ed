package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DeviceAddressReader;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.SyncFixtures.CountingHypervisor;
import io.vguest.reconcile.SyncResult.Action;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device addresses taken from libvirt after the first define and kept by every later one. libvirt's
 * test driver assigns no addresses (the QEMU driver does), so a decorator in front of it gives each
 * device without one the next free PCI bus when the domain is read back, as the QEMU driver's
 * placement would; everything else is the test driver's own.
 */
class DeviceAddressSyncTest {

  @TempDir Path dir;
  private LibvirtHypervisor libvirt;
  private CountingHypervisor hv;
  private GuestSync sync;

  /** Places devices without an address on the next free PCI bus, as libvirt's QEMU driver does at define. */
  static final class PlacingHypervisor extends ForwardingHypervisor {
    private static final Pattern BUS = Pattern.compile("bus='0x([0-9a-f]{2})'");

    PlacingHypervisor(Hypervisor delegate) {
      super(delegate);
    }

    @Override
    public io.vguest.libvirt.DomainView define(String xml) {
      return delegate.define(place(xml));
    }

    static String place(String xml) {
      int next = 1;
      Matcher used = BUS.matcher(xml);
      while (used.find()) {
        next = Math.max(next, Integer.parseInt(used.group(1), 16) + 1);
      }
      String result = xml;
      for (String tag : new String[] {"interface", "video"}) {
        Matcher m = Pattern.compile("(<" + tag + "[ >](?:(?!</" + tag + ">).)*?)(\\s*</" + tag + ">)", Pattern.DOTALL)
            .matcher(result);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
          String body = m.group(1);
          if (!body.contains("<address")) {
            body += String.format("<address type='pci' domain='0x0000' bus='0x%02x' slot='0x00' function='0x0'/>", next++);
          }
          m.appendReplacement(sb, Matcher.quoteReplacement(body + m.group(2)));
        }
        m.appendTail(sb);
        result = sb.toString();
      }
      Matcher disk = Pattern.compile("(<disk [^>]*>(?:(?!</disk>).)*?bus='virtio'(?:(?!</disk>).)*?)(\\s*</disk>)",
          Pattern.DOTALL).matcher(result);
      StringBuilder sb = new StringBuilder();
      while (disk.find()) {
        String body = disk.group(1);
        if (!body.contains("<address")) {
          body += String.format("<address type='pci' domain='0x0000' bus='0x%02x' slot='0x00' function='0x0'/>", next++);
        }
        disk.appendReplacement(sb, Matcher.quoteReplacement(body + disk.group(2)));
      }
      disk.appendTail(sb);
      return sb.toString();
    }
  }

  @BeforeEach
  void setUp() {
    libvirt = new LibvirtHypervisor(SyncFixtures.testNode(dir));
    hv = new CountingHypervisor(new PlacingHypervisor(libvirt));
    sync = new GuestSync(hv, SyncFixtures.SETTINGS, SyncFixtures.NODE, Duration.ofSeconds(5), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    libvirt.close();
  }

  private SortedMap<String, String> inDomain(SyncResult result) {
    return DeviceAddressReader.read(libvirt.dumpXml("demo_web-1"), result.definition());
  }

  /** The guest with the addresses the handler stamps from a sync's definition. */
  private static VirtualGuest stampedWith(VirtualGuest guest, SyncResult result) {
    VirtualGuest copy = SyncFixtures.copy(guest);
    copy.getSpec().deviceAddresses = new TreeMap<>(result.definition().deviceAddresses());
    return copy;
  }

  @Test
  void theFirstDefineTakesTheAddressesLibvirtGaveAndAStampedSpecDefinesNothingAgain() {
    VirtualGuest guest = SyncFixtures.stamped(SyncFixtures.WEB);
    SyncResult first = sync.sync(guest);
    SortedMap<String, String> given = first.definition().deviceAddresses();
    assertNotNull(given.get("interface.eth0"), given.toString());
    assertNotNull(given.get("disk.root"), given.toString());
    assertEquals(given, inDomain(first), "the domain holds exactly what will be stamped");
    assertEquals(2, hv.defines.get(), "defined, then defined again with the addresses, before the start");
    assertEquals(1, hv.starts.get());
    assertEquals(given, first.status().deviceAddresses, "status shows them");

    SyncResult steady = sync.sync(stampedWith(guest, first));
    assertEquals(List.of(Action.NONE), steady.actions());
    assertEquals(2, hv.defines.get());

    SyncResult lost = sync.sync(guest); // the stamp write failed: the domain's metadata still has them
    assertEquals(List.of(Action.NONE), lost.actions(), "nothing held, nothing redefined");
    assertEquals(given, lost.definition().deviceAddresses());
  }

  @Test
  void aNicInsertedFirstWhileStoppedMovesNoOtherDevice() {
    VirtualGuest guest = SyncFixtures.stamped(SyncFixtures.WEB);
    guest.getSpec().runStrategy = RunStrategy.Halted;
    SyncResult first = sync.sync(guest);
    VirtualGuest stamped = stampedWith(guest, first);
    SortedMap<String, String> before = inDomain(first);

    VirtualGuest changed = SyncFixtures.copy(stamped);
    NetworkInterface eth1 = new NetworkInterface();
    eth1.name = "eth1";
    eth1.network = "default";
    changed.getSpec().interfaces.add(0, eth1);
    changed.getSpec().identity.macAddresses.put("eth1", "02:00:00:00:00:42");
    SyncResult redefined = sync.sync(changed);
    assertTrue(redefined.actions().contains(Action.REDEFINED), redefined.actions().toString());
    SortedMap<String, String> after = inDomain(redefined);
    before.forEach((device, address) -> assertEquals(address, after.get(device), device + " kept its address"));
    assertNotNull(after.get("interface.eth1"), "the new NIC got a free address: " + after);
    assertTrue(!before.containsValue(after.get("interface.eth1")), "and not one in use");
  }
}
