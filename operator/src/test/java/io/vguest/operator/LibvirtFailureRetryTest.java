package io.vguest.operator;

import static io.vguest.operator.FaultCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.libvirt.DomainState;
import io.vguest.operator.FaultCluster.Node;
import io.vguest.reconcile.StatusBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that libvirt refuses while the connection stays up (QEMU exiting at once, virtlogd not
 * up yet) is retried with a growing, capped backoff, without waiting for another event or the
 * resync: the guest runs as soon as libvirt can start it, the condition said what failed and when
 * it is tried again, and the retries are counted in {@code vguest_sync_retries_total}.
 */
class LibvirtFailureRetryTest {

  @TempDir Path dir;
  FaultCluster cluster;
  Node a;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new FaultCluster(dir);
    a = cluster.node("node-a", "node-a").start();
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @Test
  void aFailedStartIsRetriedWithBackoffUntilTheGuestRuns() {
    a.hypervisor.failStarts("demo_vm-1", 2);
    List<String> messages = new ArrayList<>();
    cluster.create(FaultCluster.guest("vm-1", "node-a"));

    eventually("the first failure in the Ready condition", () -> {
      Condition ready = readyCondition();
      if (ready != null && "HypervisorError".equals(ready.getReason())) {
        messages.add(ready.getMessage());
        return true;
      }
      return false;
    });
    assertTrue(messages.get(0).contains("qemu unexpectedly closed the monitor")
        && messages.get(0).contains("attempt 1 failed; retrying in 2s"), messages.get(0));

    eventually("the guest Ready and running after two failed starts", () ->
        FaultCluster.ready(cluster.get("demo", "vm-1"))
            && a.libvirt.lookup("demo_vm-1").map(d -> d.state() == DomainState.RUNNING).orElse(false));
    assertEquals(3, a.hypervisor.startAttempts("demo_vm-1"), "two failed starts, then one that worked");
    // Not sooner than the backoff says, whatever else wakes the guest (its own status writes):
    List<Long> times = a.hypervisor.startTimes("demo_vm-1");
    Duration firstWait = Duration.ofNanos(times.get(1) - times.get(0));
    Duration secondWait = Duration.ofNanos(times.get(2) - times.get(1));
    assertTrue(firstWait.compareTo(Duration.ofMillis(1900)) >= 0, "second start after " + firstWait);
    assertTrue(secondWait.compareTo(Duration.ofMillis(3900)) >= 0, "third start after " + secondWait);
    String metrics = a.agent.metrics().scrape();
    assertTrue(metrics.contains("vguest_sync_retries_total{reason=\"HypervisorError\"} 2.0"), metrics);
    assertTrue(metrics.contains("vguest_guests_retrying 0.0"), "the backoff is reset once it runs: " + metrics);
  }

  @Test
  void backoffDoublesFromTheFirstDelayUpToTheCap() {
    long[] now = {0};
    SyncBackoff backoff = new SyncBackoff(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> now[0]);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(backoff.failed("demo/vm", 1L).delay().toSeconds());
    }
    assertEquals(List.of(2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), delays);
    assertEquals(1, backoff.retrying());
    assertEquals(Optional.of(Duration.ofSeconds(60)), backoff.waiting("demo/vm", 1L), "waits for the next attempt");
    assertEquals(Optional.empty(), backoff.waiting("demo/vm", 2L), "a changed spec is tried at once");
    now[0] = Duration.ofSeconds(59).toNanos();
    assertEquals(Optional.of(Duration.ofSeconds(1)), backoff.waiting("demo/vm", 1L));
    backoff.due();
    assertEquals(Optional.empty(), backoff.waiting("demo/vm", 1L), "libvirt reconnected: tried at once");
    backoff.reset("demo/vm");
    assertEquals(0, backoff.retrying());
    assertEquals(new SyncBackoff.Retry(1, Duration.ofSeconds(2)), backoff.failed("demo/vm", 1L));
    assertEquals(Duration.ofSeconds(60), backoff.delay(Integer.MAX_VALUE));
  }

  private Condition readyCondition() {
    VirtualGuest guest = cluster.get("demo", "vm-1");
    return guest == null || guest.getStatus() == null ? null : StatusBuilder.condition(guest.getStatus(),
        StatusBuilder.READY);
  }
}
