package io.vguest.reconcile;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.GuestStamper.Stamp;
import io.vguest.guest.GuestValidator;
import io.vguest.guest.NodeFacts;
import io.vguest.guest.Violation;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The framework-independent first half of a reconcile: validate the guest as its user wrote it,
 * then resolve what is still unset. Nothing is written anywhere; the caller persists the stamp
 * (the node agent with a guarded JSON patch, {@code vguest apply} by printing it) before it hands
 * the stamped guest to {@link GuestSync#sync}.
 */
public final class GuestPipeline {

  private final GuestValidator validator;
  private final GuestStamper stamper;

  public GuestPipeline(GuestSettings settings, NodeFacts node) {
    Objects.requireNonNull(settings, "settings");
    this.validator = new GuestValidator(settings.allowedPools());
    this.stamper = new GuestStamper(settings, node);
  }

  /** Either a stamped guest ready to sync, or why the guest is refused (reason and message). */
  public record Prepared(Stamp stamp, Reason refusal, String message) {
    public boolean refused() {
      return refusal != null;
    }
  }

  /**
   * @param profile the guest's GuestDeviceProfile, or null when it names none or it was not found;
   *     only read when something is still unresolved
   */
  public Prepared prepare(VirtualGuest guest, GuestDeviceProfile profile) {
    List<Violation> violations = validator.validate(guest);
    if (!violations.isEmpty()) {
      return new Prepared(null, Reason.Invalid, violations.stream().map(Violation::toString)
          .collect(Collectors.joining("; ")) + "; fix the spec, the domain was left unchanged");
    }
    if (profile != null) {
      List<Violation> profileViolations = validator.validate(profile);
      if (!profileViolations.isEmpty()) {
        return new Prepared(null, Reason.Invalid, "GuestDeviceProfile " + profile.getMetadata().getName() + ": "
            + profileViolations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
      }
    }
    Stamp stamp = stamper.stamp(guest, profile);
    String wanted = guest.getSpec().profile;
    if (stamp.changed() && wanted != null && profile == null) {
      return new Prepared(null, Reason.ProfileNotFound, "spec.profile: GuestDeviceProfile \"" + wanted
          + "\" not found in namespace " + GuestSync.namespaceOf(guest)
          + "; create it, or remove spec.profile to use the OS-family defaults");
    }
    return new Prepared(stamp, null, null);
  }
}
