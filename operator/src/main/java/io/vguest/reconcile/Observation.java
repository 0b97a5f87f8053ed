package io.vguest.reconcile;

import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.domain.GuestDefinition;
import io.vguest.libvirt.DomainState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one sync did and saw; the input of {@link StatusBuilder}.
 *
 * @param actions what was done to the domain, in order; {@code [NONE]} when nothing was
 * @param state the domain's state after the actions; null when vguest has no domain for the guest
 *     on this node (not defined, or only a foreign one); {@link DomainState#OTHER} when unreadable
 * @param definition the wanted definition, or null when the guest is invalid
 * @param hash render hash of the wanted definition, or null when the guest is invalid
 * @param pendingChanges spec fields that wait for the guest to stop; empty when none; null when
 *     unknown (the sync stopped before comparing), so the previous status stays
 * @param failure why the sync could not finish, or null when it did
 * @param defined facts of the domain as libvirt holds it after the actions (the old definition
 *     while a change is held), or null when there is none or it could not be read
 * @param runStrategy the guest's run strategy (never null)
 * @param diskTags disk name to tag, for the disks that have one
 */
public record Observation(
    List<SyncResult.Action> actions,
    DomainState state,
    GuestDefinition definition,
    String hash,
    List<String> pendingChanges,
    Failure failure,
    DomainFacts defined,
    RunStrategy runStrategy,
    Map<String, String> diskTags) {

  /** Why a sync stopped; the message says what to do. */
  public record Failure(Reason reason, String message) {
    public Failure {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  public Observation {
    actions = List.copyOf(actions);
    pendingChanges = pendingChanges == null ? null : List.copyOf(pendingChanges);
    Objects.requireNonNull(runStrategy, "runStrategy");
    diskTags = Map.copyOf(diskTags);
  }
}
