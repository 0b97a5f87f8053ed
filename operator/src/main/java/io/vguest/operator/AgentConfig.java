package io.vguest.operator;

import io.vguest.guest.DefinitionBuilder.HostSerialSource;
import io.vguest.guest.GuestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a node agent is configured with.
 *
 * @param nodeName the Kubernetes node this agent runs guests for
 * @param settings how guests are resolved and rendered
 * @param hostSerialSource where the node's serial comes from (serial policy host, chassis serial)
 * @param machineIdFile the node's machine-id file
 * @param leaseNamespace namespace of the agents' heartbeat Leases
 * @param leaseDuration how long a heartbeat stays valid; renewed every third of it
 * @param resyncPeriod how often every guest is reconciled without an event
 * @param shutdownGrace how long a graceful shutdown may take before the domain is forced off
 * @param watchFilter where guests of other nodes are filtered out
 * @param clock the clock of conditions and leases
 */
public record AgentConfig(
    String nodeName,
    GuestSettings settings,
    HostSerialSource hostSerialSource,
    Path machineIdFile,
    String leaseNamespace,
    Duration leaseDuration,
    Duration resyncPeriod,
    Duration shutdownGrace,
    WatchFilter watchFilter,
    Clock clock) {

  /** Where the agent's watch drops guests of other nodes. */
  public enum WatchFilter {
    /** On the API server, through the CRD's selectable fields (Kubernetes 1.31 or newer). */
    SERVER,
    /** In the agent, after receiving every guest of the cluster. */
    CLIENT,
    /** SERVER when the API server accepts the field selector, else CLIENT. */
    AUTO
  }

  public AgentConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(hostSerialSource, "hostSerialSource");
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(resyncPeriod, "resyncPeriod");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(watchFilter, "watchFilter");
    Objects.requireNonNull(clock, "clock");
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("the node name is empty");
    }
  }

  /** Defaults for a node, as the command line has them. */
  public static AgentConfig defaults(String nodeName, GuestSettings settings) {
    return new AgentConfig(nodeName, settings, HostSerialSource.AUTO, Path.of("/etc/machine-id"), "vguest-system",
        Duration.ofSeconds(40), Duration.ofMinutes(10), Duration.ofMinutes(2), WatchFilter.AUTO, Clock.systemUTC());
  }

  public AgentConfig withWatchFilter(WatchFilter filter) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, leaseDuration,
        resyncPeriod, shutdownGrace, filter, clock);
  }

  public AgentConfig withTimings(Duration lease, Duration resync, Duration grace) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, lease, resync, grace,
        watchFilter, clock);
  }

  public AgentConfig withLeaseNamespace(String namespace) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, namespace, leaseDuration,
        resyncPeriod, shutdownGrace, watchFilter, clock);
  }

  public AgentConfig withHostSerial(HostSerialSource source, Path machineId) {
    return new AgentConfig(nodeName, settings, source, machineId, leaseNamespace, leaseDuration, resyncPeriod,
        shutdownGrace, watchFilter, clock);
  }

  public AgentConfig withClock(Clock newClock) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, leaseDuration,
        resyncPeriod, shutdownGrace, watchFilter, newClock);
  }
}
