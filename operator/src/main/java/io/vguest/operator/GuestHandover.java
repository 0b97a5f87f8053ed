package io.vguest.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.Hypervisor;
import io.vguest.operator.GuestHandler.NodeState;
import io.vguest.operator.GuestHandler.Outcome;
import io.vguest.operator.GuestHandler.Written;
import io.vguest.reconcile.GuestSync;
import io.vguest.reconcile.Placement;
import io.vguest.reconcile.Reason;
import io.vguest.reconcile.SyncResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.vguest.operator.GuestHandler.CHANGED_RETRY;
import static io.vguest.operator.GuestHandler.CLAIMED_BY;
import static io.vguest.operator.GuestHandler.key;

/**
 * What a node does with a guest that is not (or no longer) simply its own: waiting for the node
 * that holds a guest moving here, refusing an evacuation from a live node, letting a guest move
 * away, and undefining a deleted guest's domain before its finalizer goes. {@link Placement}
 * decides which; this class does it.
 */
final class GuestHandover {

  private static final Logger LOG = LoggerFactory.getLogger(GuestHandover.class);

  private final AgentConfig config;
  private final Hypervisor hypervisor;
  private final GuestWriter writer;
  private final GuestEvents events;
  private final GuestReports reports;
  private final Supplier<NodeState> nodeState;
  private final Map<String, String> refusedEvacuations = new ConcurrentHashMap<>();

  GuestHandover(AgentConfig config, Hypervisor hypervisor, GuestWriter writer, GuestEvents events,
      GuestReports reports, Supplier<NodeState> nodeState) {
    this.config = config;
    this.hypervisor = hypervisor;
    this.writer = writer;
    this.events = events;
    this.reports = reports;
    this.nodeState = nodeState;
  }

  /** An admin evacuates the guest from a node whose heartbeat expired: said, before it is defined here. */
  void evacuate(VirtualGuest guest, String holder, Optional<NodeLeases.Heartbeat> heartbeat) {
    refusedEvacuations.remove(key(guest));
    String message = "evacuated from node " + holder + " whose heartbeat "
        + heartbeat.map(h -> "expired at " + h.renewed().plus(h.valid())).orElse("is missing")
        + "; defining it on node " + config.nodeName();
    LOG.warn("{}: {}", key(guest), message);
    events.warning(guest, Reason.Evacuated.name(), message);
  }

  /** An admin evacuates the guest from its holder, whose agent is alive: refused, the guest keeps waiting. */
  Outcome refuseEvacuation(VirtualGuest guest, String holder, NodeLeases.Heartbeat heartbeat,
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


  /**
   * While the guest waits here for the node that holds it, its status must name that node: the
   * holder's agent may watch only the guests whose spec.nodeName or status.node names it, and a
   * claim written just before the guest moved (the holder's status not written yet) would
   * otherwise go unseen and never be released. The holder writes its own status from then on, so
   * this node writes only when the status names another node, guarded by the resourceVersion so
   * a stale copy of the guest never overwrites the holder's status.
   */
  Outcome reportWaiting(VirtualGuest guest, String holder, Written written) {
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
      if (!writer.changedSinceRead(guest, e)) {
        throw e;
      }
      return new Outcome(CHANGED_RETRY);
    }
    LOG.info("{}: waits for node {} to release it", key(guest), holder);
    return Outcome.DONE;
  }


  /** The guest moves away: it keeps running here until it is stopped, then it is undefined. */
  Outcome depart(VirtualGuest guest, Written written) {
    GuestSync sync = nodeState.get().sync();
    String target = guest.getSpec().nodeName;
    DomainState here = hypervisor.lookup(GuestSync.domainName(guest)).filter(DomainView::managedByVguest)
        .map(DomainView::state).orElse(null);
    boolean halted = guest.getSpec().runStrategy == RunStrategy.Halted;
    if (Placement.departure(here, halted) == Placement.Departure.KEEP_RUNNING) {
      SyncResult holding = sync.refuse(guest, Reason.MovePending, "spec.nodeName is " + target + "; the guest keeps "
          + "running on node " + config.nodeName() + " until it is stopped (shut it down, or set runStrategy Halted), "
          + "then node " + target + " defines it");
      if (reports.writeStatus(guest, holding.status(), written)) {
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
      if (!writer.changedSinceRead(guest, e)) {
        throw e;
      }
      return new Outcome(CHANGED_RETRY);
    }
    SyncResult moved = sync.refuse(released, Reason.Moved, "undefined on node " + config.nodeName() + "; node "
        + target + " defines it next");
    reports.writeStatus(released, moved.status(), written);
    events.normal(guest, Reason.Moved.name(), (removal.hadDomain() ? "undefined domain on node " : "released by node ")
        + config.nodeName() + "; moving to node " + target);
    return Outcome.DONE;
  }


  /** Shut down and undefine on the node holding the domain, then let the object go. */
  Outcome delete(VirtualGuest guest, Written written) {
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

}
