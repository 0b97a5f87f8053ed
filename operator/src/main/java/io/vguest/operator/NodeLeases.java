package io.vguest.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.operator.AgentConfig.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' heartbeats: one Lease per node ({@code vguest-node-<node>}) in the agents'
 * namespace, renewed every third of its duration. A node whose Lease expired may be evacuated by
 * an admin; a live one never.
 *
 * <p>The Lease also makes sure that one agent process at a time acts for a node: its
 * {@code holderIdentity} names the agent process ({@code <pod>@<host id>}, see
 * {@link AgentConfig.Instance}). An agent holds it when it is free, held by an agent on the same
 * host (an earlier process there), or held by an agent of an earlier version (which wrote the node
 * name); a Lease another live agent holds is taken over only after that agent stopped renewing it
 * for the Lease's duration, as this agent's own clock measures it. An agent that does not hold
 * its node's Lease, or could not renew it within its duration, defines, starts and removes
 * nothing (see {@link #holding()}).
 */
public final class NodeLeases implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLeases.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final Instance instance;
  private final Duration duration;
  private final Clock clock;
  private volatile Runnable onAcquired = () -> { };
  private ScheduledExecutorService timer;

  /** Until when (System.nanoTime) this agent's last renewal is valid; null when it does not hold the Lease. */
  private volatile Long heldUntil;
  /** The other live holder, while there is one. */
  private volatile String otherHolder;
  /** The other holder's Lease as last seen (resourceVersion), and when (System.nanoTime) it was first seen so. */
  private String observedVersion;
  private long observedAt;
  private String reportedHolder;

  public NodeLeases(KubernetesClient client, String namespace, String node, Instance instance, Duration duration,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.node = node;
    this.instance = instance;
    this.duration = duration;
    this.clock = clock;
  }

  public static String leaseName(String node) {
    return "vguest-node-" + node;
  }

  /** Called (on the renewing thread) whenever this agent comes to hold its node's Lease. */
  void onAcquired(Runnable listener) {
    this.onAcquired = Objects.requireNonNull(listener, "listener");
  }

  /** Renews this node's Lease now and then every third of its duration. */
  public synchronized void start() {
    renew();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vguest-lease");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(1, duration.toMillis() / 3);
    timer.scheduleAtFixedRate(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      LOG.warn("could not renew lease {}/{}: {}", namespace, leaseName(node), e.getMessage());
    }
  }

  /** Writes this node's heartbeat, if this agent holds the Lease or may take it over. */
  public synchronized void renew() {
    long started = System.nanoTime();
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    var leases = client.resources(Lease.class).inNamespace(namespace);
    Lease current = leases.withName(leaseName(node)).get();
    if (current == null) {
      try {
        leases.resource(new LeaseBuilder().withNewMetadata().withName(leaseName(node)).withNamespace(namespace)
            .addToLabels("app.kubernetes.io/name", "vguest").endMetadata()
            .withNewSpec().withHolderIdentity(instance.holderIdentity())
            .withLeaseDurationSeconds((int) duration.toSeconds())
            .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build()).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return; // another agent created it at the same moment; the next renewal looks at it
        }
        throw e;
      }
      held(started, null);
      return;
    }
    String holder = current.getSpec() == null ? null : current.getSpec().getHolderIdentity();
    if (!mayHold(holder, current)) {
      heldUntil = null;
      otherHolder = holder;
      if (!holder.equals(reportedHolder)) {
        reportedHolder = holder;
        LOG.error("lease {}/{} is held by another agent, {}, renewed at {}: two agents run for node {} (two "
            + "installations, or a copied DaemonSet with the same NODE_NAME?). This agent ({}) defines, starts "
            + "and removes nothing and reports not ready; it takes over only when that agent has not renewed the "
            + "lease for {}", namespace, leaseName(node), holder, current.getSpec().getRenewTime(), node,
            instance.holderIdentity(), Duration.ofSeconds(seconds(current)));
      }
      return;
    }
    if (current.getSpec() == null) {
      current.setSpec(new LeaseSpec());
    }
    boolean takeover = !instance.holderIdentity().equals(holder);
    if (takeover) {
      current.getSpec().setAcquireTime(now);
      Integer transitions = current.getSpec().getLeaseTransitions();
      current.getSpec().setLeaseTransitions(transitions == null ? 1 : transitions + 1);
    }
    current.getSpec().setHolderIdentity(instance.holderIdentity());
    current.getSpec().setLeaseDurationSeconds((int) duration.toSeconds());
    current.getSpec().setRenewTime(now);
    leases.resource(current).update(); // carries the resourceVersion read: 409 if another agent wrote in between
    held(started, takeover ? holder : null);
  }

  /** Whether this agent may hold a Lease now held by {@code holder}. */
  private boolean mayHold(String holder, Lease lease) {
    if (holder == null || holder.isBlank() || holder.equals(instance.holderIdentity()) || instance.sameHost(holder)
        || holder.equals(node)) {
      return true; // free, this agent, an earlier agent process on this host, or an agent of an earlier version
    }
    String version = lease.getMetadata().getResourceVersion();
    long now = System.nanoTime();
    if (!Objects.equals(version, observedVersion)) {
      observedVersion = version;
      observedAt = now;
      return false;
    }
    return now - observedAt >= Duration.ofSeconds(seconds(lease)).toNanos();
  }

  private int seconds(Lease lease) {
    Integer seconds = lease.getSpec() == null ? null : lease.getSpec().getLeaseDurationSeconds();
    return seconds == null ? (int) duration.toSeconds() : seconds;
  }

  private void held(long renewedAt, String previous) {
    boolean was = holding();
    heldUntil = renewedAt + duration.toNanos();
    otherHolder = null;
    reportedHolder = null;
    observedVersion = null;
    if (previous != null && !previous.isBlank()) {
      boolean sameHost = instance.sameHost(previous) || previous.equals(node);
      LOG.info("lease {}/{}: taken over by this agent ({}) from {}{}", namespace, leaseName(node),
          instance.holderIdentity(), previous, sameHost ? " (an earlier agent process on this host)"
              : ", which stopped renewing it");
    }
    if (!was) {
      onAcquired.run();
    }
  }

  /**
   * Whether this agent acts for its node: it holds the node's Lease and renewed it within the
   * Lease's duration. False while another live agent holds it, and when renewals failed for so
   * long that another agent may have taken over.
   */
  public boolean holding() {
    Long until = heldUntil;
    return until != null && System.nanoTime() - until < 0;
  }

  /** The other agent that holds this node's Lease, while one does. */
  public Optional<String> otherHolder() {
    return holding() ? Optional.empty() : Optional.ofNullable(otherHolder);
  }

  /** This agent as the Lease names it. */
  public String identity() {
    return instance.holderIdentity();
  }

  /** When a node's heartbeat was last renewed and how long it is valid; empty when it has none. */
  public Optional<Heartbeat> heartbeat(String otherNode) {
    try {
      Lease lease = client.resources(Lease.class).inNamespace(namespace).withName(leaseName(otherNode)).get();
      if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
        return Optional.empty();
      }
      Integer seconds = lease.getSpec().getLeaseDurationSeconds();
      return Optional.of(new Heartbeat(lease.getSpec().getRenewTime().toInstant(),
          Duration.ofSeconds(seconds == null ? duration.toSeconds() : seconds)));
    } catch (KubernetesClientException e) {
      LOG.warn("could not read lease {}/{}: {}", namespace, leaseName(otherNode), e.getMessage());
      throw e;
    }
  }

  /** A node's last heartbeat. */
  public record Heartbeat(Instant renewed, Duration valid) {
    public boolean expiredAt(Instant now) {
      return renewed.plus(valid).isBefore(now);
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
