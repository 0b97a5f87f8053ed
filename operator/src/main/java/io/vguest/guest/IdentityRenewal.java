package io.vguest.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.identity.IdentityOwner;
import java.util.Map;
import java.util.Optional;

/**
 * The two declared events on which stamped identity values are made afresh instead of kept:
 *
 * <ul>
 *   <li><b>clone</b>: a copy of another guest's manifest annotated {@value #CLONE_OF} with the name
 *       its {@code spec.identity.stampedFor} carries gets a whole new identity, as if nothing had
 *       been stamped: SMBIOS serial, uuid, disk serials, WWNs, MACs and generation ID. Values the
 *       user wrote on disks and interfaces themselves, the machine type and the devices stay.
 *   <li><b>restore</b>: raising {@code spec.identity.restoreGeneration} declares that the guest's
 *       disks went back in time; only the generation ID is made afresh, once per value.
 * </ul>
 *
 * Both return the guest with the values to renew removed, for the stamper to fill again. The
 * values are derived from the seed and the guest's own namespace/name (and the restore count), so
 * renewing twice gives the same result: re-applying a manifest never changes them again.
 */
public final class IdentityRenewal {

  /** Annotation marking a guest as a clone of another: its value names that guest as namespace/name. */
  public static final String CLONE_OF = IdentityOwner.CLONE_OF;

  private static final ObjectMapper COPIER = new ObjectMapper();

  private IdentityRenewal() {}

  /** Whether the guest carries another guest's stamp and declares itself a clone of exactly that guest. */
  public static boolean isCloneOfStampedGuest(VirtualGuest guest) {
    return IdentityOwner.isCloneOf(self(guest), stampedFor(guest), annotation(guest, CLONE_OF));
  }

  /**
   * Why the guest may not be defined with the identity in its spec (it carries another guest's
   * stamp, neither accepted nor declared a clone), or empty; see {@link IdentityOwner#copyRefusal}.
   */
  public static Optional<String> copiedIdentity(VirtualGuest guest) {
    return IdentityOwner.copyRefusal(self(guest), stampedFor(guest), annotation(guest, IdentityOwner.ACCEPT_IDENTITY_OF),
        annotation(guest, CLONE_OF));
  }

  /**
   * The guest with what must be made afresh removed: the whole generated identity of a clone, or a
   * stamped generation ID older than the declared restore count. The guest itself when nothing is.
   */
  public static VirtualGuest renewable(VirtualGuest guest) {
    boolean clone = isCloneOfStampedGuest(guest);
    GuestIdentity identity = guest.getSpec().identity;
    boolean restored = identity != null && identity.generationId != null && identity.generationIdFor != null
        && identity.generationIdFor != IdentityStamps.restoreGeneration(identity);
    if (!clone && !restored) {
      return guest;
    }
    VirtualGuest copy = COPIER.convertValue(guest, VirtualGuest.class);
    GuestIdentity stamp = copy.getSpec().identity;
    if (clone) {
      if (copy.getSpec().firmware != null) {
        copy.getSpec().firmware.serial = null;
        copy.getSpec().firmware.uuid = null;
      }
      stamp.stampedFor = null;
      stamp.diskSerials = null;
      stamp.macAddresses = null;
      stamp.diskWwns = null;
    }
    stamp.generationId = null;
    stamp.generationIdFor = null;
    return copy;
  }

  static String self(VirtualGuest guest) {
    return IdentityOwner.of(guest.getMetadata().getNamespace(), guest.getMetadata().getName());
  }

  private static String stampedFor(VirtualGuest guest) {
    GuestIdentity identity = guest.getSpec().identity;
    return identity == null ? null : identity.stampedFor;
  }

  private static String annotation(VirtualGuest guest, String name) {
    Map<String, String> annotations = guest.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }
}
