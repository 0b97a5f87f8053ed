package io.vguest.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * Whose identity a guest carries. Stamping records the guest it was made for in
 * {@code spec.identity.stampedFor} ({@code namespace/name}); a spec carrying another guest's stamp
 * is a copy, which would make two guests share a serial, uuid, disk serials and MACs. The owner
 * decides what happens then: refuse the copy, renew its identity (a declared clone), keep it (a
 * declared takeover), or restore a lost stamp from the domain's record of this very guest.
 */
public final class IdentityOwner {

  /** Annotation marking a guest as a clone of another: its value names that guest as namespace/name. */
  public static final String CLONE_OF = "vguest.io/clone-of";
  /** Annotation by which a user accepts an identity copied from another guest (its value: that guest). */
  public static final String ACCEPT_IDENTITY_OF = "vguest.io/accept-identity-of";

  private IdentityOwner() {}

  /** A guest's owner name as stamps record it: {@code namespace/name}, the empty namespace as default. */
  public static String of(String namespace, String name) {
    return (namespace == null || namespace.isEmpty() ? "default" : namespace) + "/" + name;
  }

  /**
   * Whether a guest carries another guest's stamp and declares itself a clone of exactly that guest
   * ({@value #CLONE_OF}): its generated identity is then made afresh.
   *
   * @param cloneOf the guest's {@value #CLONE_OF} annotation, or null
   */
  public static boolean isCloneOf(String self, String stampedFor, String cloneOf) {
    return stampedFor != null && stampedFor.equals(cloneOf) && !stampedFor.equals(self);
  }

  /**
   * Why a guest may not be defined with the identity in its spec, or empty when it may: the stamp
   * is its own, the user accepted it ({@value #ACCEPT_IDENTITY_OF}) or declared a clone (renewed).
   *
   * @param acceptedOf the guest's {@value #ACCEPT_IDENTITY_OF} annotation, or null
   * @param cloneOf the guest's {@value #CLONE_OF} annotation, or null
   */
  public static Optional<String> copyRefusal(String self, String stampedFor, String acceptedOf, String cloneOf) {
    if (stampedFor == null || stampedFor.equals(self) || stampedFor.equals(acceptedOf)
        || isCloneOf(self, stampedFor, cloneOf)) {
      return Optional.empty();
    }
    return Optional.of("spec.identity.stampedFor is \"" + stampedFor
        + "\": this spec carries the identity (serial, uuid, disk serials, MACs) stamped for another guest, "
        + "so two guests would share it. For a new identity (a clone) annotate the guest with "
        + CLONE_OF + "=" + stampedFor + "; to keep this one (the other guest is gone for good), "
        + "annotate it with " + ACCEPT_IDENTITY_OF + "=" + stampedFor);
  }

  /**
   * Whether stamped values are restored from what a domain records: only when the spec lost its
   * stamp as a whole ({@code stampedFor} unset) and the record was made for this very guest.
   *
   * @param stampedFor the spec's {@code spec.identity.stampedFor}, or null
   * @param recordedFor the {@code stampedFor} the domain's metadata records, or null
   */
  public static boolean restorable(String self, String stampedFor, String recordedFor) {
    return stampedFor == null && Objects.equals(self, recordedFor);
  }
}
