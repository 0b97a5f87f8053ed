package io.vguest.identity;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Two guests on one node must not share a MAC address: their NICs would fight over the same
 * frames. The CRD's rules keep MACs unique within a guest; this decides across the guests of a
 * node, from the guests an index of MACs names (one lookup per interface, so a check costs the
 * same however many guests the node has).
 */
public final class MacConflicts {

  private MacConflicts() {}

  /**
   * A guest as the check sees it.
   *
   * @param guest its {@code namespace/name}
   * @param onThisNode whether it concerns the node being checked (lives there or is held by it)
   * @param macsByNic the MAC each of its interfaces gets, by interface name ({@link #macsByNic})
   */
  public record Holder(String guest, boolean onThisNode, Map<String, String> macsByNic) {}

  /** An interface as the guest declares it: its name and its own MAC, or null when it has none. */
  public record Nic(String name, String ownMac) {}

  /**
   * The MAC each interface gets: its own, else the one stamped for it; interfaces without a name
   * (refused by the validator, but an index must not fail on them) or without either are left out.
   *
   * @param stamped the stamped MACs by interface name, or null
   */
  public static Map<String, String> macsByNic(List<Nic> nics, Map<String, String> stamped) {
    Map<String, String> macs = new TreeMap<>();
    for (Nic nic : nics) {
      if (nic.name() == null) {
        continue;
      }
      String mac = nic.ownMac() != null ? nic.ownMac() : stamped == null ? null : stamped.get(nic.name());
      if (mac != null) {
        macs.put(nic.name(), mac);
      }
    }
    return macs;
  }

  /** The keys a guest is indexed by: its MAC addresses in lower case, each once. */
  public static List<String> indexKeys(Map<String, String> macsByNic) {
    return macsByNic.values().stream().map(mac -> mac.toLowerCase(Locale.ROOT)).distinct().toList();
  }

  /**
   * A message naming a MAC address of {@code guest} another guest on {@code node} already has, or
   * empty.
   *
   * @param holdersOf the guests the index holds for a MAC (given in lower case)
   */
  public static Optional<String> conflict(Holder guest, Function<String, List<Holder>> holdersOf, String node) {
    for (Map.Entry<String, String> own : guest.macsByNic().entrySet()) {
      for (Holder other : holdersOf.apply(own.getValue().toLowerCase(Locale.ROOT))) {
        if (other.guest().equals(guest.guest()) || !other.onThisNode()) {
          continue;
        }
        for (Map.Entry<String, String> theirs : other.macsByNic().entrySet()) {
          if (own.getValue().equalsIgnoreCase(theirs.getValue())) {
            return Optional.of("spec.interfaces[" + own.getKey() + "]: MAC address " + own.getValue()
                + " is already used by interface " + theirs.getKey() + " of guest " + other.guest() + " on node "
                + node + "; give one of them another macAddress");
          }
        }
      }
    }
    return Optional.empty();
  }
}
