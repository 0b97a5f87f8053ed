package io.vguest.operator;

import io.vguest.identity.HostSerialSource;
import io.vguest.guest.GuestSettings;
import io.vguest.identity.MachineId;
import java.nio.charset.StandardCharsets;
import io.vguest.reconcile.TpmStateCarrier;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a node agent is configured with.
 *
 * @param nodeName the Kubernetes node this agent runs guests for
 * @param settings how guests are resolved and rendered
 * @param hostSerialSource where the node's serial comes from (serial policy host, chassis serial)
 * @param machineIdFile the node's machine-id file
 * @param leaseNamespace namespace of the agents' heartbeat Leases
 * @param leaseDuration how long a heartbeat stays valid; renewed every third of it
 * @param instance this agent process as its node's Lease names it
 * @param resyncPeriod how often every guest is reconciled without an event
 * @param shutdownGrace how long a graceful shutdown may take before the domain is forced off
 * @param watchFilter where guests of other nodes are filtered out
 * @param clock the clock of conditions and leases
 * @param swtpmDir the node's swtpm state directory as the agent sees it (TPM state is saved from and
 *     restored to it)
 */
public record AgentConfig(
    String nodeName,
    GuestSettings settings,
    HostSerialSource hostSerialSource,
    Path machineIdFile,
    String leaseNamespace,
    Duration leaseDuration,
    Instance instance,
    Duration resyncPeriod,
    Duration shutdownGrace,
    WatchFilter watchFilter,
    Clock clock,
    Path swtpmDir) {

  /** Where the agent's watch drops guests of other nodes. */
  public enum WatchFilter {
    /** On the API server, through the CRD's selectable fields (Kubernetes 1.31 or newer). */
    SERVER,
    /** In the agent, after receiving every guest of the cluster. */
    CLIENT,
    /** SERVER when the API server accepts the field selector, else CLIENT. */
    AUTO
  }

  /**
   * An agent process as its node's Lease names it ({@code holderIdentity}): {@code <name>@<host>}.
   * Two agents configured with one node name are told apart by it; an agent on the same host
   * (this process restarted, or a new pod of the DaemonSet) takes over the Lease at once.
   *
   * @param name the agent's pod name, or the host name outside Kubernetes
   * @param host an id of the host the agent runs on: derived from its machine-id, random when
   *     that cannot be read
   */
  public record Instance(String name, String host) {

    /** This process, when nothing else names it: a random host id, the same for every agent of the process. */
    public static final Instance PROCESS = new Instance("vguest-agent", UUID.randomUUID().toString());

    public Instance {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(host, "host");
      if (name.isBlank() || host.isBlank() || host.contains("@")) {
        throw new IllegalArgumentException("agent instance \"" + name + "@" + host + "\": name and host must not be "
            + "empty, and the host holds no @");
      }
    }

    /**
     * The instance of an agent on a host with this machine-id file content: the host id is a hash
     * of the machine-id (which systemd asks not to expose as it is), or random when the content is
     * not a machine-id.
     */
    public static Instance onHost(String name, String machineId) {
      Optional<String> id = MachineId.toUuid(machineId);
      if (id.isEmpty()) {
        return new Instance(name, UUID.randomUUID().toString());
      }
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(("vguest-agent-host:" + id.get())
            .getBytes(StandardCharsets.UTF_8));
        return new Instance(name, HexFormat.of().formatHex(hash, 0, 12));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** What the Lease's holderIdentity says: {@code <name>@<host>}. */
    public String holderIdentity() {
      return name + "@" + host;
    }

    /** Whether a Lease holder is an agent on this instance's host (itself, or an earlier process there). */
    public boolean sameHost(String holderIdentity) {
      int at = holderIdentity == null ? -1 : holderIdentity.lastIndexOf('@');
      return at >= 0 && host.equals(holderIdentity.substring(at + 1));
    }
  }

  public AgentConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(hostSerialSource, "hostSerialSource");
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(resyncPeriod, "resyncPeriod");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(watchFilter, "watchFilter");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(swtpmDir, "swtpmDir");
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("the node name is empty");
    }
  }

  /** With libvirt's own swtpm state directory. */
  public AgentConfig(String nodeName, GuestSettings settings, HostSerialSource hostSerialSource, Path machineIdFile,
      String leaseNamespace, Duration leaseDuration, Instance instance, Duration resyncPeriod, Duration shutdownGrace,
      WatchFilter watchFilter, Clock clock) {
    this(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, leaseDuration, instance, resyncPeriod,
        shutdownGrace, watchFilter, clock, TpmStateCarrier.DEFAULT_DIR);
  }

  public AgentConfig withSwtpmDir(Path dir) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, leaseDuration,
        instance, resyncPeriod, shutdownGrace, watchFilter, clock, dir);
  }

  /** Defaults for a node, as the command line has them. */
  public static AgentConfig defaults(String nodeName, GuestSettings settings) {
    return new AgentConfig(nodeName, settings, HostSerialSource.AUTO, Path.of("/etc/machine-id"), "vguest-system",
        Duration.ofSeconds(40), Instance.PROCESS, Duration.ofMinutes(10), Duration.ofMinutes(2), WatchFilter.AUTO,
        Clock.systemUTC());
  }

  public AgentConfig withWatchFilter(WatchFilter filter) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, leaseDuration,
        instance, resyncPeriod, shutdownGrace, filter, clock, swtpmDir);
  }

  public AgentConfig withTimings(Duration lease, Duration resync, Duration grace) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, lease, instance, resync,
        grace, watchFilter, clock, swtpmDir);
  }

  public AgentConfig withLeaseNamespace(String namespace) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, namespace, leaseDuration, instance,
        resyncPeriod, shutdownGrace, watchFilter, clock, swtpmDir);
  }

  public AgentConfig withHostSerial(HostSerialSource source, Path machineId) {
    return new AgentConfig(nodeName, settings, source, machineId, leaseNamespace, leaseDuration, instance,
        resyncPeriod, shutdownGrace, watchFilter, clock, swtpmDir);
  }

  public AgentConfig withInstance(Instance newInstance) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, leaseDuration,
        newInstance, resyncPeriod, shutdownGrace, watchFilter, clock, swtpmDir);
  }

  public AgentConfig withClock(Clock newClock) {
    return new AgentConfig(nodeName, settings, hostSerialSource, machineIdFile, leaseNamespace, leaseDuration,
        instance, resyncPeriod, shutdownGrace, watchFilter, newClock, swtpmDir);
  }
}
