package io.vguest.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.libvirt.DomainState;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A guest's conditions as one pure function of what its sync decided and found (the
 * {@link Observation}: a refusal or failure, the changes held for a restart, the domain's state
 * and the run strategy). {@code Ready} says whether the guest is as its spec asks, {@code Synced}
 * whether the domain matches the spec, {@code RestartRequired} whether a change waits for the
 * guest to stop. A condition keeps its lastTransitionTime while its status does not change.
 */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String SYNCED = "Synced";
  public static final String RESTART_REQUIRED = "RestartRequired";

  private Conditions() {}

  /**
   * @param generation the generation of the spec that was synced
   * @param previous the guest's current conditions (empty when none)
   * @param now the time to stamp on conditions whose status changes
   */
  public static List<Condition> of(Observation observed, Long generation, List<Condition> previous, Instant now) {
    List<Condition> conditions = new ArrayList<>();
    conditions.add(keepTransition(ready(observed, generation), previous, now));
    conditions.add(keepTransition(synced(observed, generation), previous, now));
    Condition restart = restartRequired(observed, generation, previous);
    if (restart != null) {
      conditions.add(keepTransition(restart, previous, now));
    }
    return conditions;
  }

  static Condition ready(Observation observed, Long generation) {
    if (observed.failure() != null) {
      return condition(READY, false, observed.failure().reason(), observed.failure().message(), generation);
    }
    if (!pending(observed).isEmpty()) {
      return condition(READY, false, Reason.ChangesPending, "the domain runs an older spec; stop the guest to apply: "
          + String.join(", ", observed.pendingChanges()), generation);
    }
    DomainState state = observed.state();
    if (state == null) {
      return condition(READY, false, Reason.Defining, "the domain is not defined yet", generation);
    }
    Reason reason = reasonOf(state);
    RunStrategy strategy = observed.runStrategy();
    boolean wanted = switch (strategy) {
      case Always -> state == DomainState.RUNNING;
      case Halted -> state == DomainState.STOPPED;
      case Manual -> state == DomainState.RUNNING || state == DomainState.STOPPED || state == DomainState.PAUSED;
    };
    String domain = observed.definition() == null ? "the domain" : "domain " + observed.definition().domainName();
    String message = wanted
        ? domain + " is " + reason.name().toLowerCase(Locale.ROOT) + " as runStrategy " + strategy + " asks"
        : domain + " is " + reason.name().toLowerCase(Locale.ROOT) + "; runStrategy " + strategy + " wants it "
            + (strategy == RunStrategy.Halted ? "stopped" : "running")
            + (state == DomainState.PAUSED ? " (resume it with virsh resume)" : "");
    return condition(READY, wanted, reason, message, generation);
  }

  static Condition synced(Observation observed, Long generation) {
    if (observed.failure() != null) {
      return condition(SYNCED, false, observed.failure().reason(), observed.failure().message(), generation);
    }
    if (!pending(observed).isEmpty()) {
      return condition(SYNCED, true, Reason.ChangesPending,
          "the running domain was left as it is; the change applies when the guest stops", generation);
    }
    return condition(SYNCED, true, Reason.UpToDate, "the domain matches generation " + generation, generation);
  }

  private static Condition restartRequired(Observation observed, Long generation, List<Condition> previous) {
    List<String> pending = observed.pendingChanges();
    if (pending == null) {
      return previous.stream().filter(c -> RESTART_REQUIRED.equals(c.getType())).findFirst().orElse(null);
    }
    if (pending.isEmpty()) {
      return condition(RESTART_REQUIRED, false, Reason.UpToDate, "no change waits for a restart", generation);
    }
    return condition(RESTART_REQUIRED, true, Reason.ChangesPending, "changed while running: "
        + String.join(", ", pending) + "; applied when the guest is stopped (shut it down, or set runStrategy Halted)",
        generation);
  }

  private static List<String> pending(Observation observed) {
    return observed.pendingChanges() == null ? List.of() : observed.pendingChanges();
  }

  private static Reason reasonOf(DomainState state) {
    return switch (state) {
      case RUNNING -> Reason.Running;
      case SHUTTING_DOWN -> Reason.Stopping;
      case STOPPED -> Reason.Stopped;
      case PAUSED -> Reason.Paused;
      case CRASHED -> Reason.Crashed;
      case OTHER -> Reason.Unknown;
    };
  }

  private static Condition condition(String type, boolean status, Reason reason, String message, Long generation) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status ? "True" : "False");
    c.setReason(reason.name());
    c.setMessage(message);
    c.setObservedGeneration(generation);
    return c;
  }

  /** The previous transition time when the status is unchanged, else now (RFC 3339, seconds). */
  private static Condition keepTransition(Condition condition, List<Condition> previous, Instant now) {
    if (condition.getLastTransitionTime() != null) {
      return condition; // carried over whole
    }
    String time = previous.stream()
        .filter(p -> Objects.equals(p.getType(), condition.getType()) && Objects.equals(p.getStatus(),
            condition.getStatus()) && p.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .findFirst()
        .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
    condition.setLastTransitionTime(time);
    return condition;
  }
}
