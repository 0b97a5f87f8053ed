package io.vguest.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.util.Map;

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
  public static final String CLONE_OF = "vguest.io/clone-of";

  private static final ObjectMapper COPIER = new ObjectMapper();

  private IdentityRenewal() {}

  /** Whether the guest carries another guest's stamp and declares itself a clone of exactly that guest. */
  public static boolean isCloneOfStampedGuest(VirtualGuest guest) {
    GuestIdentity identity = guest.getSpec().identity;
    String stampedFor = identity == null ? null : identity.stampedFor;
    Map<String, String> annotations = guest.getMetadata().getAnnotations();
    String cloneOf = annotations == null ? null : annotations.get(CLONE_OF);
    return stampedFor != null && stampedFor.equals(cloneOf) && !stampedFor.equals(self(guest));
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
    return GuestStamper.namespaceOf(guest) + "/" + guest.getMetadata().getName();
  }
}
