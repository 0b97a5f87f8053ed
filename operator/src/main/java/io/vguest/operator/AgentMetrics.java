package io.vguest.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics, next to those java-operator-sdk records itself. Names follow
 * Prometheus conventions ({@code vguest_} prefix, base units, {@code _total} counters).
 */
public final class AgentMetrics {

  static final List<String> STATES = List.of("Running", "Stopped", "Paused", "Crashed", "Pending", "Unknown");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  void reconciled(String outcome, Duration took) {
    Counter.builder("vguest_reconciles_total").description("Guest reconciles by outcome").tag("outcome", outcome)
        .register(registry).increment();
    Timer.builder("vguest_reconcile_duration").description("Time one guest reconcile took")
        .register(registry).record(took);
  }

  /** A guest left alone because another agent holds the node's Lease. */
  void skipped() {
    Counter.builder("vguest_reconciles_total").description("Guest reconciles by outcome").tag("outcome", "skipped")
        .register(registry).increment();
  }

  /** A guest's sync failed in libvirt (not a lost connection) and is tried again after a backoff. */
  void syncRetry(String reason) {
    Counter.builder("vguest_sync_retries_total")
        .description("Guest syncs that failed in libvirt (not a lost connection) and are retried after a backoff")
        .tag("reason", reason).register(registry).increment();
  }

  void apiWrite(String kind) {
    Counter.builder("vguest_api_writes_total").description("Writes to the Kubernetes API by kind")
        .tag("kind", kind).register(registry).increment();
  }

  void libvirtCall(String call, Duration took) {
    Timer.builder("vguest_libvirt_call_duration").description("Latency of libvirt calls").tag("call", call)
        .register(registry).record(took);
  }

  /** Guests whose last sync failed in libvirt and that wait for their next attempt, read at scrape time. */
  void retrying(Supplier<Integer> count) {
    Gauge.builder("vguest_guests_retrying", () -> count.get())
        .description("Guests whose last sync failed in libvirt (not a lost connection), waiting for their retry")
        .register(registry);
  }

  /** Gauges read from the agent's state at scrape time. */
  void watch(Supplier<List<VirtualGuest>> guests, Supplier<Boolean> libvirtUp, Supplier<Integer> orphans,
      Supplier<Boolean> leaseHeld, String node) {
    for (String state : STATES) {
      Gauge.builder("vguest_guests", () -> guests.get().stream()
              .filter(g -> g.getStatus() != null && node.equals(g.getStatus().node)
                  && state.equals(g.getStatus().state)).count())
          .description("Guests whose domain is on this node, by state").tag("state", state).register(registry);
    }
    Gauge.builder("vguest_guests_pending_changes", () -> guests.get().stream()
            .filter(g -> g.getStatus() != null && node.equals(g.getStatus().node)
                && g.getStatus().pendingChanges != null && !g.getStatus().pendingChanges.isEmpty()).count())
        .description("Guests with changes waiting for a stop").register(registry);
    Gauge.builder("vguest_libvirt_up", () -> Objects.equals(libvirtUp.get(), Boolean.TRUE) ? 1 : 0)
        .description("Whether the agent is connected to libvirt").register(registry);
    Gauge.builder("vguest_node_lease_held", () -> Objects.equals(leaseHeld.get(), Boolean.TRUE) ? 1 : 0)
        .description("Whether this agent holds its node's Lease and so acts for the node (0: another agent does)")
        .register(registry);
    Gauge.builder("vguest_orphan_domains", () -> orphans.get())
        .description("vguest domains on this node whose VirtualGuest is gone (never deleted automatically)")
        .register(registry);
  }
}
