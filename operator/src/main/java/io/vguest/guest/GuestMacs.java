package io.vguest.guest;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.identity.MacConflicts;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A VirtualGuest's MAC addresses as {@link MacConflicts} works on them. */
public final class GuestMacs {

  private GuestMacs() {}

  /** The MAC each named interface of the guest gets (own or stamped), by interface name. */
  public static Map<String, String> of(VirtualGuest guest) {
    if (guest.getSpec() == null || guest.getSpec().interfaces == null) {
      return Map.of();
    }
    List<MacConflicts.Nic> nics = guest.getSpec().interfaces.stream().filter(Objects::nonNull)
        .map(nic -> new MacConflicts.Nic(nic.name, nic.macAddress)).toList();
    var identity = guest.getSpec().identity;
    return MacConflicts.macsByNic(nics, identity == null ? null : identity.macAddresses);
  }

  /** The watch cache's index keys of a guest: its MAC addresses in lower case. */
  public static List<String> indexKeys(VirtualGuest guest) {
    return MacConflicts.indexKeys(of(guest));
  }
}
