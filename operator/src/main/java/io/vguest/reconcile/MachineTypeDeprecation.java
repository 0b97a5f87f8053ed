package io.vguest.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a guest's machine type is one its node's QEMU marks deprecated, and the condition that
 * tells its user (type MachineTypeDeprecated, reason DeprecatedByNode). Pure: the node's offered and
 * deprecated types come in as lists. Nothing changes by itself: the guest keeps the pinned type,
 * and the condition names a newer type of the same family and the command that moves the guest to
 * it, for a person to decide when (it needs a stop, and the guest OS sees a newer chipset).
 */
public final class MachineTypeDeprecation {

  /** The condition type; present while the guest's machine type is deprecated on its node. */
  public static final String CONDITION = "MachineTypeDeprecated";

  /** The condition's reason. */
  public static final String REASON = Reason.DeprecatedByNode.name();

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private MachineTypeDeprecation() {}

  /**
   * The condition's message, or empty when the machine type is not deprecated on the node.
   *
   * @param field the field the machine type comes from ({@code spec.identity.machineType} when pinned)
   * @param offered every machine type the node offers
   * @param deprecated the ones its QEMU marks deprecated
   */
  public static Optional<String> message(String namespace, String name, String machineType, String field,
      String node, Collection<String> offered, Collection<String> deprecated) {
    if (machineType == null || !deprecated.contains(machineType)) {
      return Optional.empty();
    }
    String head = "machine type " + machineType + " (" + field + ") is deprecated by the QEMU of node " + node
        + ", so a future QEMU may no longer offer it; the guest keeps running on it until you change it. ";
    Optional<String> newer = newerOfSameFamily(machineType, offered, deprecated);
    if (newer.isEmpty()) {
      return Optional.of(head + "The node offers no newer type of its family: pick another machine type from "
          + "`virsh capabilities` on the node, then, while the guest is stopped, run kubectl vguest devices set "
          + name + " -n " + namespace + " --property machineType=TYPE");
    }
    String to = newer.get();
    return Optional.of(head + "The newest type of its family on this node is " + to + ": while the guest is "
        + "stopped, run kubectl vguest devices set " + name + " -n " + namespace + " --property machineType=" + to
        + " (many guests at once: vguest machine-types update -l SELECTOR --to " + to + ")");
  }

  /**
   * The newest offered, not deprecated type of the same family as {@code machineType} (pc-i440fx-1.5:
   * the highest pc-i440fx-X.Y), newer than it; empty when there is none.
   */
  public static Optional<String> newerOfSameFamily(String machineType, Collection<String> offered,
      Collection<String> deprecated) {
    String family = family(machineType);
    List<Integer> own = version(machineType);
    String best = null;
    for (String candidate : offered) {
      if (!candidate.startsWith(family) || deprecated.contains(candidate) || version(candidate).isEmpty()
          || compare(version(candidate), own) <= 0) {
        continue;
      }
      if (best == null || compare(version(candidate), version(best)) > 0) {
        best = candidate;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The status with the condition set from {@code message} (removed when empty). A condition
   * whose status stays keeps its lastTransitionTime, so an unchanged guest's status stays equal and
   * is not written again.
   */
  public static VirtualGuestStatus withCondition(VirtualGuestStatus status, VirtualGuestStatus previous,
      Optional<String> message, Long generation, Instant now) {
    List<Condition> conditions = new ArrayList<>(status.conditions == null ? List.of() : status.conditions);
    conditions.removeIf(c -> CONDITION.equals(c.getType()));
    if (message.isPresent()) {
      Condition before = StatusBuilder.condition(previous, CONDITION);
      Condition condition = new Condition();
      condition.setType(CONDITION);
      condition.setStatus("True");
      condition.setReason(REASON);
      condition.setMessage(message.get());
      condition.setObservedGeneration(generation);
      condition.setLastTransitionTime(before != null && "True".equals(before.getStatus())
          && before.getLastTransitionTime() != null ? before.getLastTransitionTime()
          : DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
      conditions.add(condition);
    }
    status.conditions = conditions;
    return status;
  }

  /** The previous status's condition, carried over as it was (the node's types could not be read). */
  public static VirtualGuestStatus carriedOver(VirtualGuestStatus status, VirtualGuestStatus previous) {
    Condition before = StatusBuilder.condition(previous, CONDITION);
    List<Condition> conditions = new ArrayList<>(status.conditions == null ? List.of() : status.conditions);
    conditions.removeIf(c -> CONDITION.equals(c.getType()));
    if (before != null) {
      conditions.add(before);
    }
    status.conditions = conditions;
    return status;
  }

  /** Whether a status reports the guest's machine type as deprecated. */
  public static boolean reported(VirtualGuestStatus status) {
    Condition c = StatusBuilder.condition(status, CONDITION);
    return c != null && "True".equals(c.getStatus());
  }

  /** pc-q35-7.2 to pc-q35-; a type without a dash is its own family. */
  static String family(String machineType) {
    int lastDash = machineType.lastIndexOf('-');
    return lastDash > 0 ? machineType.substring(0, lastDash + 1) : machineType;
  }

  /** The numbers of the part after the family: pc-q35-4.0.1 to [4, 0, 1], pc-i440fx-rhel7.6.0 to [7, 6, 0]. */
  static List<Integer> version(String machineType) {
    String tail = machineType.substring(family(machineType).length());
    List<Integer> numbers = new ArrayList<>();
    Matcher m = NUMBER.matcher(tail);
    while (m.find()) {
      numbers.add(Integer.parseInt(m.group().length() > 6 ? m.group().substring(0, 6) : m.group()));
    }
    return numbers;
  }

  private static int compare(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int x = i < a.size() ? a.get(i) : 0;
      int y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return Objects.compare(a.size(), b.size(), Integer::compare);
  }
}
