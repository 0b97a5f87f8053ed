package io.vguest.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
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
 */
public final class NodeLeases implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLeases.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final Duration duration;
  private final Clock clock;
  private ScheduledExecutorService timer;

  public NodeLeases(KubernetesClient client, String namespace, String node, Duration duration, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.node = node;
    this.duration = duration;
    this.clock = clock;
  }

  public static String leaseName(String node) {
    return "vguest-node-" + node;
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

  /** Writes this node's heartbeat. */
  public void renew() {
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    var leases = client.resources(Lease.class).inNamespace(namespace);
    Lease current = leases.withName(leaseName(node)).get();
    if (current == null) {
      leases.resource(new LeaseBuilder().withNewMetadata().withName(leaseName(node)).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/name", "vguest").endMetadata()
          .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds((int) duration.toSeconds())
          .withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
      return;
    }
    current.getSpec().setHolderIdentity(node);
    current.getSpec().setLeaseDurationSeconds((int) duration.toSeconds());
    current.getSpec().setRenewTime(now);
    leases.resource(current).update();
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
