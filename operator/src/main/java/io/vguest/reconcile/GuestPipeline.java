package io.vguest.reconcile;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.GuestMetadata;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.GuestStamper.Stamp;
import io.vguest.guest.GuestValidator;
import io.vguest.guest.IdentityRenewal;
import io.vguest.guest.MachineTypePin;
import io.vguest.guest.NodeFacts;
import io.vguest.guest.StampRestorer;
import io.vguest.guest.Violation;
import io.vguest.identity.IdentityOwner;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    this.validator = GuestValidator.forPools(settings.pools());
    this.stamper = new GuestStamper(settings, node);
  }

  /**
   * Either a stamped guest ready to sync, or why the guest is refused (reason and message).
   *
   * @param base the guest the stamp was computed from: the guest as read, less the values a clone
   *     or a declared restore renews; a stamp patch computed against it replaces those values
   */
  public record Prepared(Stamp stamp, Reason refusal, String message, List<String> restored, VirtualGuest base) {
    public Prepared(Stamp stamp, Reason refusal, String message) {
      this(stamp, refusal, message, List.of(), null);
    }

    public boolean refused() {
      return refusal != null;
    }
  }

  /** Annotation by which a user accepts an identity copied from another guest (its value: that guest). */
  public static final String ACCEPT_IDENTITY = IdentityOwner.ACCEPT_IDENTITY_OF;

  public Prepared prepare(VirtualGuest guest, GuestDeviceProfile profile) {
    return prepare(guest, profile, null);
  }

  /**
   * @param profile the guest's GuestDeviceProfile, or null when it names none or it was not found;
   *     only read when something is still unresolved
   * @param recorded what the guest's existing domain records in its metadata, or null; stamped
   *     values that vanished from the spec are restored from it instead of generated afresh
   */
  public Prepared prepare(VirtualGuest guest, GuestDeviceProfile profile, GuestMetadata recorded) {
    if (!guest.unknownValues().isEmpty()) {
      return new Prepared(null, Reason.Invalid, joined(guest.unknownValues()) + UNKNOWN);
    }
    if (profile != null && !profile.unknownValues().isEmpty()) {
      return new Prepared(null, Reason.Invalid, "GuestDeviceProfile " + profile.getMetadata().getName() + ": "
          + joined(profile.unknownValues()) + UNKNOWN);
    }
    List<Violation> violations = validator.validate(guest);
    if (!violations.isEmpty()) {
      return new Prepared(null, Reason.Invalid, joined(violations) + "; fix the spec, the domain was left unchanged");
    }
    if (profile != null) {
      List<Violation> profileViolations = validator.validate(profile);
      if (!profileViolations.isEmpty()) {
        return new Prepared(null, Reason.Invalid, "GuestDeviceProfile " + profile.getMetadata().getName() + ": "
            + joined(profileViolations));
      }
    }
    Optional<String> copied = IdentityRenewal.copiedIdentity(guest);
    if (copied.isPresent()) {
      return new Prepared(null, Reason.IdentityCopied, copied.get());
    }
    VirtualGuest base = MachineTypePin.unpinnedIfStale(IdentityRenewal.renewable(guest));
    StampRestorer.Restored restored = StampRestorer.restore(base, recorded);
    Stamp fresh = stamper.stamp(restored.guest(), profile);
    List<String> filled = new java.util.ArrayList<>(restored.restored());
    fresh.filled().stream().filter(p -> !filled.contains(p)).forEach(filled::add);
    Stamp stamp = new Stamp(fresh.guest(), List.copyOf(filled));
    String wanted = guest.getSpec().profile;
    if (stamp.changed() && wanted != null && profile == null) {
      return new Prepared(null, Reason.ProfileNotFound, "spec.profile: GuestDeviceProfile \"" + wanted
          + "\" not found in namespace " + GuestSync.namespaceOf(guest)
          + "; create it, or remove spec.profile to use the OS-family defaults");
    }
    if (stamp.changed()) {
      // Stamping never writes a spec the validator would refuse: a profile's bus may not fit the
      // guest's own machine type, for example. Nothing is stamped or defined then.
      List<Violation> resolved = validator.validate(stamp.guest());
      if (!resolved.isEmpty()) {
        return new Prepared(null, Reason.Invalid, joined(resolved) + " (resolved for fields the spec leaves unset"
            + (profile == null ? "" : ", from GuestDeviceProfile " + profile.getMetadata().getName())
            + "); set these fields in the spec, nothing was stamped and the domain was left unchanged");
      }
    }
    return new Prepared(stamp, null, null, restored.restored(), base);
  }

  /** What a refusal of values this version cannot read adds to the message. */
  private static final String UNKNOWN = " (this agent does not know the value: is the CRD newer than the agent? "
      + "Use a value from the list, or upgrade the agent); nothing was stamped and the domain was left unchanged";

  private static String joined(List<?> problems) {
    return problems.stream().map(Object::toString).collect(Collectors.joining("; "));
  }
}
