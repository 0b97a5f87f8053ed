package io.vguest.operator;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.GuestMetadata;
import io.vguest.guest.GuestMacs;
import io.vguest.identity.MacConflicts;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.reconcile.GuestPipeline;
import io.vguest.reconcile.GuestPipeline.Prepared;
import io.vguest.reconcile.GuestSync;
import io.vguest.reconcile.Placement;
import io.vguest.reconcile.Reason;
import io.vguest.reconcile.SyncResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's handling of one guest, in named steps: read the facts that place it, decide where
 * it belongs ({@link Placement}, pure), then for a guest at home plan (validate and resolve),
 * write the stamp, sync the domain ({@link GuestSync}) and write the status; a guest that is
 * moving or being deleted goes to {@link GuestHandover}. Framework glue stays in
 * {@link GuestReconciler}; what the agent tells the user in {@link GuestReports}.
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
  private final GuestReports reports;
  private final GuestHandover handover;
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
    this.reports = new GuestReports(writer, events, config.nodeName());
    this.handover = new GuestHandover(config, hypervisor, writer, events, reports, nodeState);
  }

  /**
   * Looks up the guests the agent's watches hold that use a MAC address (given in lower case, as
   * {@link #macKeys} indexes them), for the duplicate check across the guests of this node.
   */
  void guestsWithMac(Function<String, List<VirtualGuest>> lookup) {
    this.guestsWithMac = lookup;
  }

  /** The node's machine types, whose deprecations the guests' statuses report. */
  void machineTypes(NodeMachineTypes types) {
    reports.machineTypes(types);
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
        yield handover.reportWaiting(guest, holder, written);
      }
      case EVACUATION_REFUSED -> handover.refuseEvacuation(guest, holder, heartbeat.orElseThrow(), written);
      case EVACUATE_HERE -> {
        handover.evacuate(guest, holder, heartbeat);
        yield syncAtHome(guest, profile, written);
      }
      case MOVE_AWAY -> handover.depart(guest, written);
      case DELETE_HERE -> handover.delete(guest, written);
      case IGNORE -> Outcome.DONE;
    };
  }

  /**
   * The node that holds a guest: the one its claim names, else the one its status names (a guest
   * claimed before claims were written, or whose annotation a whole-object replace removed); null
   * when no node does.
   */
  static String holder(VirtualGuest guest) {
    return Placement.holder(annotation(guest, CLAIMED_BY), guest.getStatus() == null ? null : guest.getStatus().node);
  }

  /**
   * A guest at home, in named steps: read what the domain records (only when the stamp was lost),
   * plan (validate and resolve: {@link GuestPipeline}), write the stamp and claim, sync the domain
   * ({@link GuestSync}), write the status.
   */
  private Outcome syncAtHome(VirtualGuest guest, GuestDeviceProfile profile, Written written) {
    NodeState node = nodeState.get();
    GuestMetadata recorded = lostStamp(guest) ? recorded(guest) : null;
    Prepared plan = node.pipeline().prepare(guest, profile, recorded);
    if (plan.refused()) {
      reports.writeStatus(guest, node.sync().refuse(guest, plan.refusal(), plan.message()).status(), written);
      return Outcome.DONE;
    }
    reportRestored(guest, plan);
    VirtualGuest stamped = writer.stampAndClaim(guest, plan.base(), plan.stamp(), config.nodeName(), written);
    if (stamped == null) {
      return new Outcome(CHANGED_RETRY);
    }
    String duplicate = duplicateMac(stamped);
    if (duplicate != null) {
      reports.writeStatus(stamped, node.sync().refuse(stamped, Reason.DuplicateMacAddress, duplicate).status(),
          written);
      return Outcome.DONE;
    }
    Optional<Duration> wait = backoff.waiting(key(stamped), stamped.getMetadata().getGeneration());
    if (wait.isPresent()) {
      // The last attempt failed in libvirt and the next is not due: leave libvirt alone until then.
      return new Outcome(wait.get());
    }
    SyncResult result = node.sync().sync(stamped);
    stamped = DeviceAddressStamp.write(stamped, result, writer, written);
    reports.recordActions(stamped, result);
    return writeSyncStatus(node, stamped, result, written);
  }

  /** The status of a sync; a libvirt failure is tried again, soon and then less often. */
  private Outcome writeSyncStatus(NodeState node, VirtualGuest stamped, SyncResult result, Written written) {
    if (result.failure() != null && result.failure().reason() == Reason.HypervisorError) {
      // libvirt is there but failed (a start refused, QEMU failing): try again soon, then less often.
      SyncBackoff.Retry retry = backoff.failed(key(stamped), stamped.getMetadata().getGeneration());
      metrics.syncRetry(result.failure().reason().name());
      LOG.info("{}: {}", key(stamped), retry.note());
      reports.writeStatus(stamped, node.sync().retrying(stamped, result, retry.note()).status(), written);
      return new Outcome(retry.delay());
    }
    backoff.reset(key(stamped));
    reports.writeStatus(stamped, result.status(), written);
    return result.retry() ? new Outcome(RETRY) : Outcome.DONE;
  }

  private void reportRestored(VirtualGuest guest, Prepared plan) {
    if (!plan.restored().isEmpty()) {
      LOG.warn("{}: stamped values vanished from the spec (a replace without them?); restored from the domain's "
          + "metadata: {}", key(guest), plan.restored());
      events.warning(guest, "IdentityRestored", "restored from the domain's metadata, not generated afresh: "
          + String.join(", ", plan.restored()));
    }
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
    Function<VirtualGuest, MacConflicts.Holder> holder = g -> new MacConflicts.Holder(key(g), onThisNode(g),
        GuestMacs.of(g));
    return MacConflicts.conflict(holder.apply(guest), mac -> guestsWithMac.apply(mac).stream().map(holder).toList(),
        config.nodeName()).orElse(null);
  }

  /** The index keys of a guest in the watch cache: its MAC addresses (own or stamped), in lower case. */
  static List<String> macKeys(VirtualGuest guest) {
    if (guest.getSpec() == null) {
      return List.of();
    }
    return GuestMacs.indexKeys(guest);
  }

  private boolean onThisNode(VirtualGuest guest) {
    return concerns(guest, config.nodeName());
  }

  /** Whether a guest concerns a node: it lives there, or the node holds it (its claim or its status). */
  static boolean concerns(VirtualGuest guest, String node) {
    return node.equals(guest.getSpec() == null ? null : guest.getSpec().nodeName) || node.equals(holder(guest))
        || (guest.getStatus() != null && node.equals(guest.getStatus().node));
  }


  private static String annotation(VirtualGuest guest, String name) {
    Map<String, String> annotations = guest.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  static String key(VirtualGuest guest) {
    return guest.getMetadata().getNamespace() + "/" + guest.getMetadata().getName();
  }
}
