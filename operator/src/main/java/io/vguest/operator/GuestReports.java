package io.vguest.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.operator.GuestHandler.Written;
import io.vguest.reconcile.GuestSync;
import io.vguest.reconcile.Reason;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncResult;
import io.vguest.reconcile.SyncResult.Action;
import java.util.Objects;
import java.util.Set;

/**
 * What the agent tells about a guest: its status, written only when it changed, and the events a
 * user reads with {@code kubectl describe}: what was done to the domain, and a warning when the
 * guest's Ready condition turns to a reason that needs the user.
 */
final class GuestReports {

  private final GuestWriter writer;
  private final GuestEvents events;
  private final String node;
  private volatile NodeMachineTypes machineTypes = NodeMachineTypes.none();

  /** The node's machine types, whose deprecations the guests' statuses report. */
  void machineTypes(NodeMachineTypes types) {
    this.machineTypes = types;
  }

  GuestReports(GuestWriter writer, GuestEvents events, String node) {
    this.writer = writer;
    this.events = events;
    this.node = node;
  }

  void recordActions(VirtualGuest guest, SyncResult result) {
    String domain = result.definition() == null ? GuestSync.domainName(guest) : result.definition().domainName();
    if (result.actions().contains(Action.DEFINED) && result.actions().contains(Action.STARTED)) {
      // A new guest's define and first start are one step for its user, and one event write less
      // per guest for the API server.
      events.normal(guest, "Created", "defined domain " + domain + " on node " + node
          + " and started it (runStrategy " + runStrategy(guest) + ")");
      return;
    }
    for (Action action : result.actions()) {
      switch (action) {
        case DEFINED -> events.normal(guest, "Defined", "defined domain " + domain + " on node " + node);
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
  boolean writeStatus(VirtualGuest guest, VirtualGuestStatus built, Written written) {
    VirtualGuestStatus status = machineTypes.report(guest, built);
    if (StatusBuilder.sameStatus(guest.getStatus(), status)) {
      return false;
    }
    Condition before = guest.getStatus() == null ? null : StatusBuilder.condition(guest.getStatus(),
        StatusBuilder.READY);
    Condition after = StatusBuilder.condition(status, StatusBuilder.READY);
    written.apply(writer.writeStatus(guest, status));
    machineTypes.announce(guest, status, events);
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

}
