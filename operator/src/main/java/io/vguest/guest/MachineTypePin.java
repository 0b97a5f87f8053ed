package io.vguest.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceResolver;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Pins the versioned machine type a guest was first defined with. {@code spec.machineType} stays
 * what the user asked for (an alias such as {@code q35} in most manifests, so a re-applied manifest
 * keeps saying it); the type it resolved to on the first node is stamped into
 * {@code spec.identity.machineType}, together with the request it came from
 * ({@code machineTypeFor}). Every later definition, on any node, uses the pinned type while the
 * request is unchanged; a changed request (an edit of {@code spec.machineType}) is resolved and
 * pinned afresh.
 */
public final class MachineTypePin {

  private static final ObjectMapper COPIER = new ObjectMapper();
  private static final Pattern VERSION = Pattern.compile("\\d\\.\\d");

  private MachineTypePin() {}

  /**
   * The machine type a guest is defined with: the pinned one while it is current (or written by
   * the user, without {@code machineTypeFor}), else the request as the node resolves it.
   */
  public static String effective(VirtualGuestSpec spec, DeviceResolver node) {
    GuestIdentity identity = spec.identity;
    if (identity != null && identity.machineType != null
        && (identity.machineTypeFor == null || identity.machineTypeFor.equals(spec.machineType))) {
      return identity.machineType;
    }
    return node.concreteMachineType(spec.machineType);
  }

  /** Whether the guest has a stamped pin made for another request than its spec.machineType now says. */
  static boolean stale(VirtualGuestSpec spec) {
    GuestIdentity identity = spec.identity;
    return identity != null && identity.machineType != null && identity.machineTypeFor != null
        && !identity.machineTypeFor.equals(spec.machineType);
  }

  /** The guest without a stale pin, so that the stamper pins the new request; the guest itself otherwise. */
  public static VirtualGuest unpinnedIfStale(VirtualGuest guest) {
    if (!stale(guest.getSpec())) {
      return guest;
    }
    VirtualGuest copy = COPIER.convertValue(guest, VirtualGuest.class);
    copy.getSpec().identity.machineType = null;
    copy.getSpec().identity.machineTypeFor = null;
    return copy;
  }

  /**
   * Pins the machine type unless a pin is there. An alias the node cannot resolve (a node without
   * capabilities, such as libvirt's test driver) is left unpinned: pinning {@code q35} would pin nothing.
   */
  static void stamp(VirtualGuestSpec spec, DeviceResolver node, List<String> filled) {
    GuestIdentity identity = spec.identity;
    String requested = spec.machineType;
    if (identity.machineType != null || requested == null) {
      return;
    }
    String resolved = node.concreteMachineType(requested);
    if (Objects.equals(resolved, requested) && !versioned(requested)) {
      return;
    }
    identity.machineType = resolved;
    identity.machineTypeFor = requested;
    filled.add("/spec/identity/machineType");
    filled.add("/spec/identity/machineTypeFor");
  }

  /** Versioned types carry a dotted version (pc-q35-7.2, pc-i440fx-rhel7.6.0); aliases (q35, pc) do not. */
  static boolean versioned(String machineType) {
    return VERSION.matcher(machineType).find();
  }
}
