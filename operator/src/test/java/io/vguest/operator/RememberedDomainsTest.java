package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.libvirt.DomainEvent;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.SyncFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent remembers of its domains, against a libvirt test-driver node: its own calls and
 * their events cost no lookup, any other change (an event, a listing, a reconnect) does.
 */
class RememberedDomainsTest {

  private static final String NAME = "demo_web-1";
  private static final String UUID = "0b5c6ee4-6a4c-4b4b-9d1a-3b7c2d9c7c01";

  @TempDir Path dir;
  LibvirtHypervisor libvirt;
  Counting counting;
  RememberedDomains remembered;
  final List<DomainEvent> events = new CopyOnWriteArrayList<>();

  /** Counts lookups; with {@code deaf}, passes no event on (events lost). */
  static final class Counting extends ForwardingHypervisor {
    final AtomicInteger lookups = new AtomicInteger();
    volatile boolean deaf;

    Counting(Hypervisor delegate) {
      super(delegate);
    }

    @Override public Optional<DomainView> lookup(String domainName) {
      lookups.incrementAndGet();
      return super.lookup(domainName);
    }

    @Override public void addLifecycleListener(Consumer<DomainEvent> listener) {
      super.addLifecycleListener(event -> {
        if (!deaf) {
          listener.accept(event);
        }
      });
    }
  }

  @BeforeEach
  void setUp() {
    libvirt = new LibvirtHypervisor(SyncFixtures.testNode(dir));
    counting = new Counting(libvirt);
    remembered = new RememberedDomains(counting);
    libvirt.addLifecycleListener(events::add); // after the memory's own listener: it has seen them when we do
  }

  @AfterEach
  void tearDown() {
    libvirt.close();
  }

  private static String xml(String hash) {
    return "<domain type='test'><name>" + NAME + "</name><uuid>" + UUID + "</uuid><metadata><vguest:guest xmlns:vguest='"
        + Hypervisor.VGUEST_NAMESPACE + "'><vguest:hash>" + hash + "</vguest:hash></vguest:guest></metadata>"
        + "<memory unit='MiB'>128</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";
  }

  /** Waits for an event of this kind, and forgets the events seen so far. */
  private void awaitEvent(DomainEvent.Kind kind) {
    eventually(kind + " event delivered", () -> events.stream().anyMatch(e -> e.kind() == kind));
    events.clear();
  }

  @Test
  void theAgentsOwnDefineAndStartAndTheirEventsCostNoLookup() {
    assertTrue(remembered.lookup(NAME).isEmpty());
    assertTrue(remembered.lookup(NAME).isEmpty(), "a missing domain is remembered missing");
    assertEquals(1, counting.lookups.get());

    remembered.define(xml("sha256:one"));
    awaitEvent(DomainEvent.Kind.DEFINED);
    remembered.start(NAME);
    awaitEvent(DomainEvent.Kind.STARTED);

    DomainView view = remembered.lookup(NAME).orElseThrow();
    assertEquals(DomainState.RUNNING, view.state());
    assertEquals(libvirt.lookup(NAME).orElseThrow(), view, "what libvirt holds");
    assertEquals(1, counting.lookups.get(), "no lookup after the agent's own define and start");
  }

  @Test
  void aChangeBehindTheAgentsBackIsLookedUpAgain() {
    remembered.define(xml("sha256:one"));
    remembered.start(NAME);
    awaitEvent(DomainEvent.Kind.STARTED);
    int before = counting.lookups.get();

    libvirt.destroy(NAME); // an admin, or the guest powering itself off
    awaitEvent(DomainEvent.Kind.STOPPED);

    assertEquals(DomainState.STOPPED, remembered.lookup(NAME).orElseThrow().state());
    assertEquals(before + 1, counting.lookups.get());

    libvirt.define(xml("sha256:edited")); // virsh edit
    awaitEvent(DomainEvent.Kind.DEFINED);
    assertTrue(remembered.lookup(NAME).orElseThrow().vguestMetadataXml().orElseThrow().contains("sha256:edited"),
        "the edited domain");

    libvirt.undefine(NAME);
    awaitEvent(DomainEvent.Kind.UNDEFINED);
    assertTrue(remembered.lookup(NAME).isEmpty(), "deleted behind the agent's back");
  }

  @Test
  void aListingThatShowsTheDomainOtherwiseDropsWhatIsRemembered() {
    remembered.define(xml("sha256:one"));
    remembered.start(NAME);
    awaitEvent(DomainEvent.Kind.STARTED);
    counting.deaf = true; // the next events are lost
    libvirt.destroy(NAME);
    eventually("STOPPED in libvirt", () -> libvirt.lookup(NAME).orElseThrow().state() == DomainState.STOPPED);
    assertEquals(DomainState.RUNNING, remembered.lookup(NAME).orElseThrow().state(), "not seen without its event");

    remembered.listAll();

    assertEquals(DomainState.STOPPED, remembered.lookup(NAME).orElseThrow().state(), "seen at the next listing");
    libvirt.undefine(NAME);
    remembered.listAll();
    assertTrue(remembered.lookup(NAME).isEmpty(), "a domain no listing shows is looked up again");
  }

  @Test
  void aListingThatShowsTheDomainAsRememberedKeepsIt() {
    remembered.define(xml("sha256:one"));
    awaitEvent(DomainEvent.Kind.DEFINED);
    int before = counting.lookups.get();

    remembered.listAll();
    remembered.lookup(NAME);

    assertEquals(before, counting.lookups.get());
  }

  @Test
  void nothingIsRememberedWhileLibvirtIsUnreachable() {
    remembered.define(xml("sha256:one"));
    libvirt.close();

    assertFalse(counting.connected());
    try {
      remembered.lookup(NAME);
    } catch (RuntimeException expected) {
      // CONNECTION_LOST, as without the memory
    }
    assertEquals(1, counting.lookups.get(), "the lookup went to libvirt");
  }

  @Test
  void theDomainNameOfARenderedXml() {
    assertEquals(NAME, RememberedDomains.nameOf(xml("sha256:one")));
  }
}
