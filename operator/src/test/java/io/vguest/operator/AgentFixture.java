package io.vguest.operator;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.GuestSettings;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.operator.AgentConfig.WatchFilter;
import io.vguest.reconcile.SyncFixtures;
import io.vguest.reconcile.SyncFixtures.CountingHypervisor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A cluster for node agents: fabric8's mock API server in CRUD mode with vguest's CRDs, answering
 * a failed JSON-patch test with 422 as the API server does ({@link ApiServerDispatcher}), and any
 * number of nodes, each a libvirt test-driver state of its own and an agent. Records every API
 * request so tests can count writes at the server.
 */
final class AgentFixture implements AutoCloseable {

  static final GuestSettings SETTINGS = GuestSettings.defaults("test-seed").withAllowedPools(Set.of("default"));
  static final String LEASES = "vguest-system";

  final KubernetesMockServer server;
  final KubernetesClient client;
  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final List<RecordedRequest> requests = new ArrayList<>();

  /** One node: its libvirt and its agent. */
  final class Node implements AutoCloseable {
    final String name;
    final LibvirtHypervisor libvirt;
    final CountingHypervisor hypervisor;
    NodeAgent agent;
    private final KubernetesClient agentClient;

    private final Path nodeDir;

    Node(String name, Path nodeDir) throws IOException {
      this.name = name;
      this.nodeDir = nodeDir;
      Files.createDirectories(nodeDir);
      this.libvirt = new LibvirtHypervisor(SyncFixtures.testNode(nodeDir));
      this.hypervisor = new CountingHypervisor(libvirt);
      this.hypervisor.allowUndefine = true;
      this.agentClient = server.createClient();
    }

    Node start(Duration resync) {
      return start(resync, SETTINGS);
    }

    Node start(Duration resync, GuestSettings settings) {
      AgentConfig config = AgentConfig.defaults(name, settings)
          .withWatchFilter(WatchFilter.CLIENT)
          .withLeaseNamespace(LEASES)
          .withHostSerial(io.vguest.guest.DefinitionBuilder.HostSerialSource.AUTO, nodeDir.resolve("machine-id"))
          .withInstance(new AgentConfig.Instance("agent-" + name, name))
          .withTimings(Duration.ofSeconds(30), resync, Duration.ofSeconds(2));
      agent = NodeAgent.start(agentClient, config, hypervisor);
      return this;
    }

    void stopAgent() {
      if (agent != null) {
        agent.close();
        agent = null;
      }
    }

    boolean defined(String domain) {
      return libvirt.lookup(domain).isPresent();
    }

    @Override
    public void close() {
      stopAgent();
      libvirt.close();
      agentClient.close();
    }
  }

  AgentFixture(Path dir) throws IOException {
    this.dir = dir;
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new ApiServerDispatcher(), false);
    server.init();
    client = server.createClient();
    for (String crd : List.of("virtualguests.vguest.io.yaml", "guestdeviceprofiles.vguest.io.yaml")) {
      try (InputStream in = Files.newInputStream(repoRoot().resolve("crds").resolve(crd))) {
        client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
      }
    }
  }

  static Path repoRoot() {
    String configured = System.getProperty("vguest.repoRoot");
    return Path.of(configured != null && !configured.isBlank() ? configured : "..").toAbsolutePath().normalize();
  }

  Node node(String name) throws IOException {
    Node node = new Node(name, dir.resolve(name));
    nodes.add(node);
    return node;
  }

  VirtualGuest create(String yaml) {
    return client.resource(SyncFixtures.guest(yaml)).create();
  }

  VirtualGuest get(String namespace, String name) {
    return client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).get();
  }

  /** Every request the server received since the last call. */
  synchronized List<RecordedRequest> drainRequests() {
    List<RecordedRequest> drained = new ArrayList<>();
    try {
      RecordedRequest request;
      while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        drained.add(request);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    requests.addAll(drained);
    return drained;
  }

  /** Writes to guests (spec, status, finalizers) among the given requests. */
  static List<RecordedRequest> guestWrites(List<RecordedRequest> requests) {
    return requests.stream()
        .filter(r -> !r.getMethod().equals("GET"))
        .filter(r -> r.getPath().contains("/virtualguests"))
        .toList();
  }

  /** Waits for a condition of the system under test; fails with the description (never asserts a time). */
  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the object or domain is not there yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
    fail("never happened: " + what);
  }

  static <T> T eventually(String what, Supplier<T> value) {
    Object[] holder = new Object[1];
    eventually(what, () -> (holder[0] = value.get()) != null);
    @SuppressWarnings("unchecked")
    T result = (T) holder[0];
    return result;
  }

  @Override
  public void close() {
    nodes.forEach(Node::close);
    client.close();
    server.destroy();
  }
}
