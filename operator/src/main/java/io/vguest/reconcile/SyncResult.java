package io.vguest.reconcile;

import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.domain.GuestDefinition;
import io.vguest.libvirt.DomainState;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link GuestSync#sync}: what was observed and done, and the status that follows
 * from it. The caller writes {@link #status()} only when {@link StatusBuilder#sameStatus} says it
 * differs from the guest's current one.
 */
public record SyncResult(Observation observed, VirtualGuestStatus status) {

  /** What a sync did to the domain. */
  public enum Action {
    /** Defined a domain that did not exist. */
    DEFINED,
    /** Replaced an out-of-date definition of a shut-off domain. */
    REDEFINED,
    /** Started a stopped domain (runStrategy Always). */
    STARTED,
    /** Shut a domain down (runStrategy Halted). */
    STOPPED,
    /** Left an out-of-date running domain alone; the change waits for it to stop. */
    HELD,
    /** Nothing. */
    NONE
  }

  public SyncResult {
    Objects.requireNonNull(observed, "observed");
    Objects.requireNonNull(status, "status");
  }

  public List<Action> actions() {
    return observed.actions();
  }

  public DomainState state() {
    return observed.state();
  }

  public GuestDefinition definition() {
    return observed.definition();
  }

  public String hash() {
    return observed.hash();
  }

  /** Spec fields that wait for the guest to stop; empty when none or unknown. */
  public List<String> pendingChanges() {
    return observed.pendingChanges() == null ? List.of() : observed.pendingChanges();
  }

  /** Why the sync could not finish, or null when it did. */
  public Observation.Failure failure() {
    return observed.failure();
  }

  /** Whether the guest should be synced again soon (the hypervisor was not reachable). */
  public boolean retry() {
    return failure() != null && failure().reason() == Reason.HypervisorUnavailable;
  }
}
