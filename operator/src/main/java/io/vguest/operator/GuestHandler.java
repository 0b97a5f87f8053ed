package io.vguest.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.domain.GuestMetadata;
import io.vguest.guest.GuestStamper.Stamp;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.reconcile.GuestPipeline;
import io.vguest.reconcile.GuestPipeline.Prepared;
import io.vguest.reconcile.GuestSync;
import io.vguest.reconcile.Placement;
import io.vguest.reconcile.Reason;
import io.vguest.reconcile.StampPatch;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncResult;
import io.vguest.reconcile.SyncResult.Action;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's decisions about one guest, in named steps: placement (is this node its home, is it
 * leaving, is it someone else's), then validate, stamp, sync and status for a guest at home, or
 * hold and release for a guest leaving. Framework glue stays in {@link GuestReconciler}; the
 * per-guest libvirt logic in {@link GuestSync}.
 */
public final class GuestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(GuestHandler.class);

  /** Annotation by which an admin evacuates a guest from a node whose heartbeat expired. */
  public static final String EVACUATE_FROM = "vguest.io/evacuate-from";

  /**
   * Annotation naming the node that claimed the guest: it holds the guest's domain or is about to
   * define it. A node writes it, guarded by the guest's resourceVersion, in the same patch as the
   * stamp and before its first define, and removes it when it lets the guest go.
   */
  public static final String CLAIMED_BY = "vguest.io/claimed-by";

  /** How soon a guest is looked at again when libvirt was unreachable. */
  static final Duration RETRY = Duration.ofSeconds(10);

  /** How soon a guest is looked at again after a guarded write found it changed (its watch event comes first). */
  static final Duration CHANGED_RETRY = Duration.ofSeconds(1);

  private final AgentConfig config;
  private final Hypervisor hypervisor;
  private final GuestWriter writer;
  private final GuestEvents events;
  private final NodeLeases leases;
  private final Supplier<NodeState> nodeState;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, String> refusedEvacuations = new ConcurrentHashMap<>();
  private final AgentMetrics metrics;
  private final SyncBackoff backoff;
  private Function<String, List<VirtualGuest>> guestsWithMac = mac -> List.of();

  /** What the agent knows about its node: the sync and pipeline built for the node's current facts. */
  public record NodeState(GuestSync sync, GuestPipeline pipeline) {}

  /** What the framework should do next: nothing, or look again after a delay. */
  public record Outcome(Duration retryAfter) {
    static final Outcome DONE = new Outcome(null);
  }

  /** Receives the guest as the API server returned it after a write, so caches see it at once. */
  public interface Written extends UnaryOperator<VirtualGuest> {}

  public GuestHandler(AgentConfig config, Hypervisor hypervisor, GuestWriter writer, GuestEvents events,
      NodeLeases leases, Supplier<NodeState> nodeState, AgentMetrics metrics) {
    this(config, hypervisor, writer, events, leases, nodeState, metrics, new SyncBackoff());
  }

  /** With the backoff for guests whose sync failed in libvirt (tests pass a short one). */
  GuestHandler(AgentConfig config, Hypervisor hypervisor, GuestWriter writer, GuestEvents events,
      NodeLeases leases, Supplier<NodeState> nodeState, AgentMetrics metrics, SyncBackoff backoff) {
    this.backoff = backoff;
    this.metrics = metrics;
    this.config = config;
    this.hypervisor = hypervisor;
    this.writer = writer;
    this.events = events;
    this.leases = leases;
    this.nodeState = nodeState;
  }

  /**
   * Looks up the guests the agent's watches hold that use a MAC address (given in lower case, as
   * {@link #macKeys} indexes them), for the duplicate check across the guests of this node.
   */
  void guestsWithMac(Function<String, List<VirtualGuest>> lookup) {
    this.guestsWithMac = lookup;
  }

  /** Guests whose last sync failed in libvirt and that wait for their next attempt. */
  int retrying() {
    return backoff.retrying();
  }

  /** libvirt reconnected: guests waiting after a libvirt failure are tried at once. */
  void retryNow() {
    backoff.due();
  }

  /**
   * Handles one guest as the watch delivered it.
   *
   * @param profile the guest's GuestDeviceProfile from the watch cache, or null
   * @param written called with every guest the API server returns after a write
   */
  public Outcome handle(VirtualGuest guest, GuestDeviceProfile profile, Written written) {
    if (!leases.holding()) {
      // Another agent acts for this node (or may, after renewals failed): touch nothing. The agent
      // looks at every guest again when it holds the node's Lease.
      LOG.debug("{}: left alone, this agent does not hold the lease of node {}", key(guest), config.nodeName());
      metrics.skipped();
      return Outcome.DONE;
    }
    Object lock = locks.computeIfAbsent(key(guest), k -> new Object());
    long start = System.nanoTime();
    String outcome = "error";
    synchronized (lock) {
      try {
        Outcome result = place(guest, profile, written);
        outcome = result.retryAfter() == null ? "done" : "retry";
        return result;
      } catch (HypervisorException e) {
        LOG.warn("{}: libvirt call failed ({}); retried in {}", key(guest), e.getMessage(), RETRY);
        outcome = "retry";
        return new Outcome(RETRY);
      } finally {
        metrics.reconciled(outcome, Duration.ofNanos(System.nanoTime() - start));
      }
    }
  }

  /** Reads the facts that place the guest, decides, and acts on the decision. */
  private Outcome place(VirtualGuest guest, GuestDeviceProfile profile, Written written) {
    Placement.Facts facts = new Placement.Facts(config.nodeName(), guest.getSpec().nodeName,
        guest.getStatus() == null ? null : guest.getStatus().node, annotation(guest, CLAIMED_BY),
        annotation(guest, EVACUATE_FROM), guest.isMarkedForDeletion(),
        guest.getMetadata().getFinalizers() != null && guest.getMetadata().getFinalizers().contains(
            GuestWriter.FINALIZER), Placement.Heartbeat.NOT_READ);
    // The holder's heartbeat is an API read: only when an admin evacuates the guest from its holder.
    Optional<NodeLeases.Heartbeat> heartbeat = facts.heartbeatNeeded() ? leases.heartbeat(facts.holder())
        : Optional.empty();
    if (facts.heartbeatNeeded()) {
      facts = facts.withHeartbeat(heartbeat.isEmpty() ? Placement.Heartbeat.MISSING
          : heartbeat.get().expiredAt(config.clock().instant()) ? Placement.Heartbeat.EXPIRED
          : Placement.Heartbeat.LIVE);
    }
    if (guest.isMarkedForDeletion()) {
      backoff.reset(key(guest));
    }
    String holder = facts.holder();
    return switch (Placement.decide(facts)) {
      case SYNC_HERE -> syncAtHome(guest, profile, written);
      case WAIT_FOR_PREVIOUS_NODE -> {
        LOG.debug("{}: waits for node {} to release it", key(guest), holder);
        yield reportWaiting(guest, holder, written);
      }
      case EVACUATION_REFUSED -> refuseEvacuation(guest, holder, heartbeat.orElseThrow(), written);
      case EVACUATE_HERE -> evacuate(guest, profile, holder, heartbeat, written);
      case MOVE_AWAY -> depart(guest, written);
      case DELETE_HERE -> delete(guest, written);
      case IGNORE -> Outcome.DONE;
    };
  }

  /**
   * The node that holds a guest: the one its claim names, else the one its status names (a guest
   * claimed before claims were written, or whose annotation a whole-object replace removed); null
   * when no node does.
   */
  static String holder(VirtualGuest guest) {
    String claim = annotation(guest, CLAIMED_BY);
    if (claim != null && !claim.isBlank()) {
      return claim;
    }
    return guest.getStatus() == null ? null : guest.getStatus().node;
  }

  /** Validate, stamp and claim, sync, status. */
  private Outcome syncAtHome(VirtualGuest guest, GuestDeviceProfile profile, Written written) {
    NodeState node = nodeState.get();
    Prepared prepared = node.pipeline().prepare(guest, profile, lostStamp(guest) ? recorded(guest) : null);
    if (prepared.refused()) {
      SyncResult refused = node.sync().refuse(guest, prepared.refusal(), prepared.message());
      writeStatus(guest, refused.status(), written);
      return Outcome.DONE;
    }
    if (!prepared.restored().isEmpty()) {
      LOG.warn("{}: stamped values vanished from the spec (a replace without them?); restored from the domain's "
          + "metadata: {}", key(guest), prepared.restored());
      events.warning(guest, "IdentityRestored", "restored from the domain's metadata, not generated afresh: "
          + String.join(", ", prepared.restored()));
    }
    VirtualGuest stamped = stamp(guest, prepared.base(), prepared.stamp(), written);
    if (stamped == null) {
      return new Outcome(CHANGED_RETRY);
    }
    String duplicate = duplicateMac(stamped);
    if (duplicate != null) {
      writeStatus(stamped, node.sync().refuse(stamped, Reason.DuplicateMacAddress, duplicate).status(), written);
      return Outcome.DONE;
    }
    Optional<Duration> wait = backoff.waiting(key(stamped), stamped.getMetadata().getGeneration());
    if (wait.isPresent()) {
      // The last attempt failed in libvirt and the next is not due: leave libvirt alone until then.
      return new Outcome(wait.get());
    }
    SyncResult result = node.sync().sync(stamped);
    stamped = DeviceAddressStamp.write(stamped, result, writer, written);
    recordActions(stamped, result);
    if (result.failure() != null && result.failure().reason() == Reason.HypervisorError) {
      // libvirt is there but failed (a start refused, QEMU failing): try again soon, then less often.
      SyncBackoff.Retry retry = backoff.failed(key(stamped), stamped.getMetadata().getGeneration());
      metrics.syncRetry(result.failure().reason().name());
      LOG.info("{}: {}", key(stamped), retry.note());
      writeStatus(stamped, node.sync().retrying(stamped, result, retry.note()).status(), written);
      return new Outcome(retry.delay());
    }
    backoff.reset(key(stamped));
    writeStatus(stamped, result.status(), written);
    return result.retry() ? new Outcome(RETRY) : Outcome.DONE;
  }

  /** Whether the spec lacks the stamp as a whole (never stamped, or replaced without it). */
  private static boolean lostStamp(VirtualGuest guest) {
    return guest.getSpec().identity == null || guest.getSpec().identity.stampedFor == null;
  }

  /** What this node's domain of the guest records, or null when there is none. */
  private GuestMetadata recorded(VirtualGuest guest) {
    return hypervisor.lookup(GuestSync.domainName(guest)).flatMap(DomainView::vguestMetadataXml)
        .map(xml -> {
          try {
            return GuestMetadata.parse(xml);
          } catch (RuntimeException unreadable) {
            LOG.warn("{}: domain metadata unreadable ({}); nothing restored", key(guest), unreadable.getMessage());
            return null;
          }
        }).orElse(null);
  }

  /**
   * A message naming a MAC address another guest on this node already has, or null. One index
   * lookup per interface of the guest, so a sync costs the same however many guests the node has.
   */
  private String duplicateMac(VirtualGuest guest) {
    for (Map.Entry<String, String> own : macs(guest).entrySet()) {
      for (VirtualGuest other : guestsWithMac.apply(own.getValue().toLowerCase(Locale.ROOT))) {
        if (key(other).equals(key(guest)) || !onThisNode(other)) {
          continue;
        }
        for (Map.Entry<String, String> theirs : macs(other).entrySet()) {
          if (own.getValue().equalsIgnoreCase(theirs.getValue())) {
            return "spec.interfaces[" + own.getKey() + "]: MAC address " + own.getValue() + " is already used by "
                + "interface " + theirs.getKey() + " of guest " + key(other) + " on node " + config.nodeName()
                + "; give one of them another macAddress";
          }
        }
      }
    }
    return null;
  }

  /** The index keys of a guest in the watch cache: its MAC addresses (own or stamped), in lower case. */
  static List<String> macKeys(VirtualGuest guest) {
    if (guest.getSpec() == null) {
      return List.of();
    }
    return macs(guest).values().stream().map(mac -> mac.toLowerCase(Locale.ROOT)).distinct().toList();
  }

  private boolean onThisNode(VirtualGuest guest) {
    return concerns(guest, config.nodeName());
  }

  /** Whether a guest concerns a node: it lives there, or the node holds it (its claim or its status). */
  static boolean concerns(VirtualGuest guest, String node) {
    return node.equals(guest.getSpec() == null ? null : guest.getSpec().nodeName) || node.equals(holder(guest))
        || (guest.getStatus() != null && node.equals(guest.getStatus().node));
  }

  private static Map<String, String> macs(VirtualGuest guest) {
    Map<String, String> macs = new java.util.TreeMap<>();
    var stamped = guest.getSpec().identity == null || guest.getSpec().identity.macAddresses == null ? Map.<String,
        String>of() : guest.getSpec().identity.macAddresses;
    if (guest.getSpec().interfaces != null) {
      for (var nic : guest.getSpec().interfaces) {
        if (nic == null || nic.name == null) {
          continue; // refused by the validator; the watch cache's index must not fail on it
        }
        String mac = nic.macAddress != null ? nic.macAddress : stamped.get(nic.name);
        if (mac != null) {
          macs.put(nic.name, mac);
        }
      }
    }
    return macs;
  }

  /**
   * Writes what stamping filled in, the finalizer and this node's claim in one patch, guarded by
   * the guest's resourceVersion, before anything is defined. Returns the guest as stored, the
   * guest unchanged when nothing was missing, or null when the guest changed since it was read
   * (the patch was refused and is tried again on the newer guest).
   */
  private VirtualGuest stamp(VirtualGuest guest, VirtualGuest base, Stamp stamp, Written written) {
    // Against the base, so values a clone or a declared restore renews are replaced ("add" of a member).
    String patch = StampPatch.between(base, stamp.guest(), GuestWriter.FINALIZER,
        Map.of(CLAIMED_BY, config.nodeName()));
    if (patch == null) {
      return guest;
    }
    VirtualGuest stored;
    try {
      stored = written.apply(writer.stamp(guest, patch));
    } catch (KubernetesClientException e) {
      if (!changedSinceRead(guest, e)) {
        throw e;
      }
      return null;
    }
    String claimed = config.nodeName().equals(annotation(guest, CLAIMED_BY)) ? null : "claimed for node "
        + config.nodeName() + (holder(guest) == null ? "" : " (held by node " + holder(guest) + " before)");
    if (stamp.changed()) {
      LOG.info("{}: stamped {}{}", key(guest), stamp.filled(), claimed == null ? "" : "; " + claimed);
    } else if (claimed != null) {
      LOG.info("{}: {}", key(guest), claimed);
    }
    return stored;
  }

  /**
   * Whether a guarded write was refused because the guest changed since it was read (the API
   * server answers a failed resourceVersion test with 422, a stale update with 409): the write
   * is simply tried again on the newer guest, which the watch delivers. Any other refusal is an
   * error. A 422 is told apart from one for an invalid value by reading the guest's current
   * resourceVersion.
   */
  private boolean changedSinceRead(VirtualGuest guest, KubernetesClientException e) {
    if (e.getCode() == 409) {
      LOG.debug("{}: changed since it was read; tried again", key(guest));
      return true;
    }
    if (e.getCode() != 422) {
      return false;
    }
    VirtualGuest current = writer.read(guest);
    String read = guest.getMetadata().getResourceVersion();
    if (current != null && Objects.equals(read, current.getMetadata().getResourceVersion())) {
      return false;
    }
    LOG.debug("{}: changed since it was read (resourceVersion {}, now {}); tried again", key(guest), read,
        current == null ? "deleted" : current.getMetadata().getResourceVersion());
    return true;
  }

  /** An admin evacuates the guest from its holder, whose agent is alive: refused, the guest keeps waiting. */
  private Outcome refuseEvacuation(VirtualGuest guest, String holder, NodeLeases.Heartbeat heartbeat,
      Written written) {
    String message = "evacuation from node " + holder + " refused: its agent renewed its heartbeat at "
        + heartbeat.renewed() + "; stop the guest there to move it, or wait until the node is really down";
    if (!message.equals(refusedEvacuations.put(key(guest), message))) {
      LOG.warn("{}: {}", key(guest), message);
      events.warning(guest, Reason.EvacuationRefused.name(), message);
    }
    Outcome waiting = reportWaiting(guest, holder, written);
    return waiting.retryAfter() != null ? waiting : new Outcome(config.leaseDuration());
  }

  /** An admin evacuates the guest from a node whose heartbeat expired: it is defined here. */
  private Outcome evacuate(VirtualGuest guest, GuestDeviceProfile profile, String holder,
      Optional<NodeLeases.Heartbeat> heartbeat, Written written) {
    refusedEvacuations.remove(key(guest));
    String message = "evacuated from node " + holder + " whose heartbeat "
        + heartbeat.map(h -> "expired at " + h.renewed().plus(h.valid())).orElse("is missing")
        + "; defining it on node " + config.nodeName();
    LOG.warn("{}: {}", key(guest), message);
    events.warning(guest, Reason.Evacuated.name(), message);
    return syncAtHome(guest, profile, written);
  }

  /**
   * While the guest waits here for the node that holds it, its status must name that node: the
   * holder's agent may watch only the guests whose spec.nodeName or status.node names it, and a
   * claim written just before the guest moved (the holder's status not written yet) would
   * otherwise go unseen and never be released. The holder writes its own status from then on, so
   * this node writes only when the status names another node, guarded by the resourceVersion so
   * a stale copy of the guest never overwrites the holder's status.
   */
  private Outcome reportWaiting(VirtualGuest guest, String holder, Written written) {
    if (guest.getStatus() != null && holder.equals(guest.getStatus().node)) {
      return Outcome.DONE;
    }
    VirtualGuestStatus status = nodeState.get().sync().refuse(guest, Reason.WaitingForPreviousNode, "spec.nodeName "
        + "is " + config.nodeName() + "; node " + holder + " holds the guest (annotation " + CLAIMED_BY
        + ") and node " + config.nodeName() + " defines it once node " + holder + " has released it").status();
    status.node = holder;
    try {
      written.apply(writer.writeStatus(guest, status, true));
    } catch (KubernetesClientException e) {
      if (!changedSinceRead(guest, e)) {
        throw e;
      }
      return new Outcome(CHANGED_RETRY);
    }
    LOG.info("{}: waits for node {} to release it", key(guest), holder);
    return Outcome.DONE;
  }

  /** The guest moves away: it keeps running here until it is stopped, then it is undefined. */
  private Outcome depart(VirtualGuest guest, Written written) {
    GuestSync sync = nodeState.get().sync();
    String target = guest.getSpec().nodeName;
    DomainState here = hypervisor.lookup(GuestSync.domainName(guest)).filter(DomainView::managedByVguest)
        .map(DomainView::state).orElse(null);
    boolean halted = guest.getSpec().runStrategy == io.vguest.api.v1alpha1.RunStrategy.Halted;
    if (Placement.departure(here, halted) == Placement.Departure.KEEP_RUNNING) {
      SyncResult holding = sync.refuse(guest, Reason.MovePending, "spec.nodeName is " + target + "; the guest keeps "
          + "running on node " + config.nodeName() + " until it is stopped (shut it down, or set runStrategy Halted), "
          + "then node " + target + " defines it");
      if (writeStatus(guest, holding.status(), written)) {
        events.normal(guest, Reason.MovePending.name(), "waiting for the guest to stop on node " + config.nodeName()
            + " before it moves to node " + target);
      }
      return Outcome.DONE;
    }
    GuestSync.Removal removal = sync.remove(guest, false);
    VirtualGuest released;
    try {
      VirtualGuest after = writer.releaseClaim(guest, CLAIMED_BY, config.nodeName());
      released = after == guest ? guest : written.apply(after);
    } catch (KubernetesClientException e) {
      if (!changedSinceRead(guest, e)) {
        throw e;
      }
      return new Outcome(CHANGED_RETRY);
    }
    SyncResult moved = sync.refuse(released, Reason.Moved, "undefined on node " + config.nodeName() + "; node "
        + target + " defines it next");
    writeStatus(released, moved.status(), written);
    events.normal(guest, Reason.Moved.name(), (removal.hadDomain() ? "undefined domain on node " : "released by node ")
        + config.nodeName() + "; moving to node " + target);
    return Outcome.DONE;
  }

  /** Shut down and undefine on the node holding the domain, then let the object go. */
  private Outcome delete(VirtualGuest guest, Written written) {
    String me = config.nodeName();
    GuestSync.Removal removal = nodeState.get().sync().remove(guest, true);
    if (removal.hadDomain()) {
      events.normal(guest, "Undefined", "domain undefined on node " + me + (removal.forcedOff()
          ? " (forced off after " + config.shutdownGrace() + ")" : "")
          + (removal.deletedVolumes().isEmpty() ? "" : "; deleted scratch volumes " + removal.deletedVolumes()));
    }
    try {
      VirtualGuest after = writer.removeFinalizer(guest);
      if (after != null) { // the server may answer the removal of the last finalizer without the deleted object
        written.apply(after);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    return Outcome.DONE;
  }

  private void recordActions(VirtualGuest guest, SyncResult result) {
    String domain = result.definition() == null ? GuestSync.domainName(guest) : result.definition().domainName();
    if (result.actions().contains(Action.DEFINED) && result.actions().contains(Action.STARTED)) {
      // A new guest's define and first start are one step for its user, and one event write less
      // per guest for the API server.
      events.normal(guest, "Created", "defined domain " + domain + " on node " + config.nodeName()
          + " and started it (runStrategy " + runStrategy(guest) + ")");
      return;
    }
    for (Action action : result.actions()) {
      switch (action) {
        case DEFINED -> events.normal(guest, "Defined", "defined domain " + domain + " on node " + config.nodeName());
        case REDEFINED -> events.normal(guest, "Redefined", "redefined shut-off domain " + domain
            + " with the current spec");
        case STARTED -> events.normal(guest, "Started", "started domain " + domain + " (runStrategy "
            + runStrategy(guest) + ")");
        case STOPPED -> events.normal(guest, "Stopped", "shut down domain " + domain + " (runStrategy Halted)");
        case HELD, NONE -> { }
      }
    }
  }

  /**
   * Writes the status when it differs from the guest's current one, and records an event when
   * the Ready condition's reason changes. Returns whether it wrote.
   */
  private boolean writeStatus(VirtualGuest guest, VirtualGuestStatus status, Written written) {
    if (StatusBuilder.sameStatus(guest.getStatus(), status)) {
      return false;
    }
    Condition before = guest.getStatus() == null ? null : StatusBuilder.condition(guest.getStatus(),
        StatusBuilder.READY);
    Condition after = StatusBuilder.condition(status, StatusBuilder.READY);
    written.apply(writer.writeStatus(guest, status));
    if (after != null && (before == null || !Objects.equals(before.getReason(), after.getReason()))
        && WARNINGS.contains(after.getReason())) {
      events.warning(guest, after.getReason(), after.getMessage());
    } else if (after != null && (before == null || !Objects.equals(before.getReason(), after.getReason()))
        && Reason.ChangesPending.name().equals(after.getReason())) {
      events.normal(guest, "RestartRequired", after.getMessage());
    }
    return true;
  }

  private static final Set<String> WARNINGS = Set.of(Reason.Invalid.name(), Reason.ProfileNotFound.name(),
      Reason.UnsupportedByNode.name(), Reason.IdentityCopied.name(), Reason.DuplicateMacAddress.name(),
      Reason.HostSerialUnavailable.name(), Reason.ForeignDomain.name(), Reason.DomainRejected.name(),
      Reason.HypervisorError.name(), Reason.HypervisorUnavailable.name(), Reason.Crashed.name());

  private static String runStrategy(VirtualGuest guest) {
    return guest.getSpec().runStrategy == null ? "Always" : guest.getSpec().runStrategy.name();
  }

  private static String annotation(VirtualGuest guest, String name) {
    Map<String, String> annotations = guest.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  static String key(VirtualGuest guest) {
    return guest.getMetadata().getNamespace() + "/" + guest.getMetadata().getName();
  }
}
