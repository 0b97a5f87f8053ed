package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.libvirt.DomainState;
import io.vguest.reconcile.Observation.Failure;
import io.vguest.reconcile.SyncResult.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conditions of every kind of sync outcome, one row each; "-" is an absent value. */
class ConditionsTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  /** "-": unknown (null); "none": nothing pending; else the pending fields, separated by "+". */
  private static List<String> pending(String cell) {
    return switch (cell) {
      case "-" -> null;
      case "none" -> List.of();
      default -> List.of(cell.split("\\+"));
    };
  }

  private static Observation observed(String failure, String pending, String state, RunStrategy strategy) {
    return new Observation(List.of(Action.NONE), state.equals("-") ? null : DomainState.valueOf(state), null, null,
        pending(pending), failure.equals("-") ? null : new Failure(Reason.valueOf(failure), "why"), null, strategy,
        Map.of());
  }

  private static String cell(Condition condition) {
    return condition == null ? "-" : condition.getStatus() + " " + condition.getReason();
  }

  @ParameterizedTest(name = "failure {0}, pending {1}, state {2}, {3}: Ready {4}, Synced {5}, RestartRequired {6}")
  @CsvSource({
      // failure,           pending,      state,         runStrategy, Ready,                    Synced,                  RestartRequired
      "-,                   none,         RUNNING,       Always,      True Running,             True UpToDate,           False UpToDate",
      "-,                   none,         STOPPED,       Always,      False Stopped,            True UpToDate,           False UpToDate",
      "-,                   none,         CRASHED,       Always,      False Crashed,            True UpToDate,           False UpToDate",
      "-,                   none,         PAUSED,        Always,      False Paused,             True UpToDate,           False UpToDate",
      "-,                   none,         SHUTTING_DOWN, Always,      False Stopping,           True UpToDate,           False UpToDate",
      "-,                   none,         OTHER,         Always,      False Unknown,            True UpToDate,           False UpToDate",
      "-,                   none,         STOPPED,       Halted,      True Stopped,             True UpToDate,           False UpToDate",
      "-,                   none,         RUNNING,       Halted,      False Running,            True UpToDate,           False UpToDate",
      "-,                   none,         RUNNING,       Manual,      True Running,             True UpToDate,           False UpToDate",
      "-,                   none,         STOPPED,       Manual,      True Stopped,             True UpToDate,           False UpToDate",
      "-,                   none,         PAUSED,        Manual,      True Paused,              True UpToDate,           False UpToDate",
      "-,                   none,         CRASHED,       Manual,      False Crashed,            True UpToDate,           False UpToDate",
      "-,                   none,         -,             Always,      False Defining,           True UpToDate,           False UpToDate",
      // a change held while the domain runs
      "-,                   memory+cpus,  RUNNING,       Always,      False ChangesPending,     True ChangesPending,     True ChangesPending",
      "-,                   memory,       RUNNING,       Manual,      False ChangesPending,     True ChangesPending,     True ChangesPending",
      // refused or failed: both say why; what waits for a restart is unknown, so no RestartRequired
      "Invalid,             -,            RUNNING,       Always,      False Invalid,            False Invalid,           -",
      "IdentityCopied,      -,            -,             Always,      False IdentityCopied,     False IdentityCopied,    -",
      "WaitingForPreviousNode, -,         -,             Always,      False WaitingForPreviousNode, False WaitingForPreviousNode, -",
      "MovePending,         -,            RUNNING,       Always,      False MovePending,        False MovePending,       -",
      "HypervisorError,     none,         STOPPED,       Always,      False HypervisorError,    False HypervisorError,   False UpToDate",
      "HypervisorUnavailable, -,          OTHER,         Always,      False HypervisorUnavailable, False HypervisorUnavailable, -",
      "DomainRejected,      memory,       RUNNING,       Always,      False DomainRejected,     False DomainRejected,    True ChangesPending",
  })
  void conditions(String failure, String pending, String state, RunStrategy strategy, String ready, String synced,
      String restart) {
    List<Condition> conditions = Conditions.of(observed(failure, pending, state, strategy), 3L, List.of(), NOW);

    assertEquals(ready, cell(find(conditions, Conditions.READY)), "Ready");
    assertEquals(synced, cell(find(conditions, Conditions.SYNCED)), "Synced");
    assertEquals(restart, cell(find(conditions, Conditions.RESTART_REQUIRED)), "RestartRequired");
    conditions.forEach(c -> assertEquals(3L, c.getObservedGeneration(), c.getType() + " observedGeneration"));
  }

  @Test
  void aRestartRequiredConditionIsKeptWhilePendingChangesAreUnknown() {
    List<Condition> held = Conditions.of(observed("-", "memory", "RUNNING", RunStrategy.Always), 2L, List.of(), NOW);
    List<Condition> refused = Conditions.of(observed("Invalid", "-", "RUNNING", RunStrategy.Always), 3L, held,
        NOW.plusSeconds(60));

    Condition restart = find(refused, Conditions.RESTART_REQUIRED);
    assertEquals("True ChangesPending", cell(restart));
    assertEquals("2025-03-01T10:00:00Z", restart.getLastTransitionTime());
    assertEquals(2L, restart.getObservedGeneration(), "carried over whole, from the sync that saw it");
  }

  @Test
  void transitionTimesMoveOnlyWithTheStatus() {
    List<Condition> running = Conditions.of(observed("-", "none", "RUNNING", RunStrategy.Always), 1L, List.of(), NOW);
    List<Condition> stopped = Conditions.of(observed("-", "none", "STOPPED", RunStrategy.Always), 1L, running,
        NOW.plusSeconds(90));

    assertEquals("2025-03-01T10:01:30Z", find(stopped, Conditions.READY).getLastTransitionTime(), "Ready changed");
    assertEquals("2025-03-01T10:00:00Z", find(stopped, Conditions.SYNCED).getLastTransitionTime(), "Synced did not");
    assertNull(find(List.of(), Conditions.READY));
  }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
