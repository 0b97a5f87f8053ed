package io.vguest.operator;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The JOSDK side of a node agent: receives guests from the watch and libvirt events, and hands
 * each to the {@link GuestHandler}. It runs in all-events mode: it sees deletions itself and
 * manages its finalizer in the same patch that stamps the guest, so a new guest costs two writes
 * (stamp, status) instead of three.
 */
public final class GuestReconciler implements Reconciler<VirtualGuest> {

  private final GuestHandler handler;
  private final boolean watchProfiles;
  private final String awayFrom;
  private final SimpleInboundEventSource<VirtualGuest> libvirtEvents;
  private volatile IndexerResourceCache<VirtualGuest> cache;
  private volatile List<GuestReconciler> peers = List.of();

  /** Index of the watch cache: guests by each of their MAC addresses, in lower case. */
  static final String MAC_INDEX = "mac";

  /**
   * A controller that resolves guests: it watches their profiles and handles every guest its
   * watch delivers (the agent's only controller, or its "home" one: spec.nodeName is this node).
   *
   * @param name distinguishes the event sources of the agent's two controllers
   */
  public GuestReconciler(GuestHandler handler, String name) {
    this(handler, name, true, null);
  }

  /**
   * The agent's "away" controller for {@code node}: its watch holds the guests this node reports
   * in their status (status.node). It handles only those that live elsewhere now (a move, an
   * evacuation, a deletion there): a guest whose spec.nodeName is this node is also in the home
   * controller's watch and is handled there, with its profile, never twice.
   */
  public static GuestReconciler away(GuestHandler handler, String name, String node) {
    return new GuestReconciler(handler, name, false, node);
  }

  private GuestReconciler(GuestHandler handler, String name, boolean watchProfiles, String awayFrom) {
    this.handler = handler;
    this.watchProfiles = watchProfiles;
    this.awayFrom = awayFrom;
    this.libvirtEvents = new SimpleInboundEventSource<>("libvirt-" + name);
  }

  /** The agent's other controllers, whose watches may hold a newer copy of a guest than this one's. */
  void peers(List<GuestReconciler> all) {
    this.peers = all.stream().filter(r -> r != this).toList();
  }

  @Override
  public List<EventSource<?, VirtualGuest>> prepareEventSources(EventSourceContext<VirtualGuest> context) {
    cache = context.getPrimaryCache();
    cache.addIndexer(MAC_INDEX, GuestHandler::macKeys);
    List<EventSource<?, VirtualGuest>> sources = new ArrayList<>();
    sources.add(libvirtEvents);
    if (watchProfiles) {
      // A profile only matters to guests not yet resolved (edits never change existing guests), but a
      // guest waiting for its missing profile must be woken when it appears.
      var profiles = InformerEventSourceConfiguration.from(GuestDeviceProfile.class, VirtualGuest.class)
          .withName("profiles")
          .withPrimaryToSecondaryMapper((VirtualGuest guest) -> guest.getSpec().profile == null ? Set.of()
              : Set.of(new ResourceID(guest.getSpec().profile, guest.getMetadata().getNamespace())))
          .withSecondaryToPrimaryMapper(profile -> guestsUsing(profile))
          .build();
      sources.add(new InformerEventSource<>(profiles, context));
    }
    return sources;
  }

  private Set<ResourceID> guestsUsing(GuestDeviceProfile profile) {
    IndexerResourceCache<VirtualGuest> guests = cache;
    if (guests == null) {
      return Set.of();
    }
    return guests.list(profile.getMetadata().getNamespace())
        .filter(g -> profile.getMetadata().getName().equals(g.getSpec().profile))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<VirtualGuest> reconcile(VirtualGuest guest, Context<VirtualGuest> context) {
    if (context.isPrimaryResourceDeleted()) {
      pokeLater(ResourceID.fromResource(guest)); // gone; the domain scan reports any domain left behind
      return UpdateControl.noUpdate();
    }
    if (newerElsewhere(guest)) {
      // Another controller of this agent holds a newer copy (the guest moved between their
      // watches): that controller has its own event for it and acts on the newer copy.
      return UpdateControl.noUpdate();
    }
    if (awayFrom != null && awayFrom.equals(guest.getSpec().nodeName)) {
      return UpdateControl.noUpdate(); // this node's own guest: the home controller handles it
    }
    GuestDeviceProfile profile = watchProfiles
        ? context.getSecondaryResource(GuestDeviceProfile.class).orElse(null) : null;
    AtomicReference<VirtualGuest> last = new AtomicReference<>(guest);
    GuestHandler.Outcome outcome = handler.handle(guest, profile, updated -> {
      context.eventSourceRetriever().getControllerEventSource()
          .handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, last.getAndSet(updated));
      return updated;
    });
    if (guest.getMetadata().getDeletionTimestamp() != null) {
      pokeLater(ResourceID.fromResource(guest));
    }
    UpdateControl<VirtualGuest> control = UpdateControl.noUpdate();
    return outcome.retryAfter() == null ? control : control.rescheduleAfter(outcome.retryAfter());
  }

  /** Whether another controller's watch holds a copy of the guest with a higher resourceVersion. */
  private boolean newerElsewhere(VirtualGuest guest) {
    ResourceID id = ResourceID.fromResource(guest);
    long mine = resourceVersion(guest);
    for (GuestReconciler peer : peers) {
      IndexerResourceCache<VirtualGuest> theirs = peer.cache;
      VirtualGuest other = theirs == null ? null : theirs.get(id).orElse(null);
      if (other != null && mine >= 0 && resourceVersion(other) > mine) {
        return true;
      }
    }
    return false;
  }

  /** A resourceVersion as a number (etcd's revision), or -1 when the server's is not one. */
  static long resourceVersion(VirtualGuest guest) {
    try {
      return Long.parseLong(guest.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return -1;
    }
  }

  /**
   * A guest deleted and at once created again under the same name (a delete and re-apply of the same
   * manifest) can have its creation event arrive while the framework still holds the deletion, which
   * drops it until the next resync; looking again a little later costs nothing when the guest is gone.
   */
  private void pokeLater(ResourceID guest) {
    for (long seconds : new long[] {2, 10}) {
      CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> poke(guest));
    }
  }

  /** Reconciles one guest soon, if this controller watches it (a libvirt event about its domain). */
  public void poke(ResourceID guest) {
    IndexerResourceCache<VirtualGuest> guests = cache;
    if (guests != null && guests.contains(guest) && libvirtEvents.isRunning()) {
      libvirtEvents.propagateEvent(guest);
    }
  }

  /** Reconciles every guest this controller watches (after libvirt reconnects). */
  public void pokeAll() {
    IndexerResourceCache<VirtualGuest> guests = cache;
    if (guests != null && libvirtEvents.isRunning()) {
      guests.list().map(ResourceID::fromResource).forEach(libvirtEvents::propagateEvent);
    }
  }

  /** The guests this controller's watch holds that use a MAC address (in lower case). */
  public List<VirtualGuest> withMac(String mac) {
    IndexerResourceCache<VirtualGuest> guests = cache;
    return guests == null ? List.of() : guests.byIndex(MAC_INDEX, mac);
  }

  /** The guests this controller's watch holds. */
  public List<VirtualGuest> cached() {
    IndexerResourceCache<VirtualGuest> guests = cache;
    return guests == null ? List.of() : guests.list().collect(Collectors.toList());
  }
}
