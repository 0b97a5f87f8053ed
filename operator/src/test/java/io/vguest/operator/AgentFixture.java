package io.vguest.operator;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.GuestSettings;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.operator.AgentConfig.WatchFilter;
import io.vguest.reconcile.SyncFixtures;
import io.vguest.reconcile.SyncFixtures.CountingHypervisor;
import io.vguest.testing.RealApiCleaner;
import io.vguest.testing.RealApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A cluster for node agents: the JVM's real API server ({@link RealApiServer}, agents in the
 * production watch mode: field selectors on the server) or, for {@link #mock}, fabric8's mock API
 * server in CRUD mode answering a failed JSON-patch test with 422 as the API server does
 * ({@link ApiServerDispatcher}, agents filtering in the client); and any number of nodes, each a
 * libvirt test-driver state of its own and an agent. Records every API request of the agents (at
 * their client on the real server, at the mock server) so tests can count writes.
 */
final class AgentFixture implements AutoCloseable {

  static final GuestSettings SETTINGS = GuestSettings.defaults("test-seed").withAllowedPools(Set.of("default"));
  static final String LEASES = "vguest-system";

  /** Null on the real API server. */
  final KubernetesMockServer server;
  final RealApiServer real;
  final KubernetesClient client;
  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final List<RecordedRequest> agentRequests = Collections.synchronizedList(new ArrayList<>());

  /** One node: its libvirt and its agent. */
  final class Node implements AutoCloseable {
    final String name;
    final LibvirtHypervisor libvirt;
    final CountingHypervisor hypervisor;
    NodeAgent agent;
    private final KubernetesClient agentClient;

    private final Path nodeDir;

    Node(String name, Path nodeDir, KubernetesClient agentClient) throws IOException {
      this.name = name;
      this.nodeDir = nodeDir;
      Files.createDirectories(nodeDir);
      this.libvirt = new LibvirtHypervisor(SyncFixtures.testNode(nodeDir));
      this.hypervisor = new CountingHypervisor(libvirt);
      this.hypervisor.allowUndefine = true;
      this.agentClient = agentClient;
    }

    Node start(Duration resync) {
      return start(resync, SETTINGS);
    }

    Node start(Duration resync, GuestSettings settings) {
      AgentConfig config = AgentConfig.defaults(name, settings)
          .withWatchFilter(real == null ? WatchFilter.CLIENT : WatchFilter.SERVER)
          .withLeaseNamespace(LEASES)
          .withHostSerial(io.vguest.identity.HostSerialSource.AUTO, nodeDir.resolve("machine-id"))
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

  /** On the JVM's real API server, which it leaves as it found it (no guests, profiles, events or Leases). */
  AgentFixture(Path dir) {
    this.dir = dir;
    server = null;
    real = RealApiServer.shared();
    client = real.client();
    RealApiCleaner.clean(client, LEASES);
    RealApiCleaner.ensureNamespaces(client, "demo", LEASES);
  }

  private AgentFixture(Path dir, boolean mock) throws IOException {
    this.dir = dir;
    real = null;
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

  /**
   * A client whose requests {@link #drainRequests} returns (on the mock server every client's
   * are); the agents use one each. Closed by the caller.
   */
  KubernetesClient recordingClient() {
    return real == null ? server.createClient() : new KubernetesClientBuilder()
        .withConfig(real.adminConfig())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record", new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            URI uri = request.uri();
            agentRequests.add(new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(request.method()),
                uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                Headers.builder().build(), new Buffer()));
          }
        }))
        .build();
  }

  /** On fabric8's mock API server: only for what a real server cannot do (see FaultCluster). */
  static AgentFixture mock(Path dir) throws IOException {
    return new AgentFixture(dir, true);
  }

  /** Creates namespaces on the real server (the mock server needs none). */
  void namespaces(String... names) {
    if (real != null) {
      RealApiCleaner.ensureNamespaces(client, names);
    }
  }

  static Path repoRoot() {
    String configured = System.getProperty("vguest.repoRoot");
    return Path.of(configured != null && !configured.isBlank() ? configured : "..").toAbsolutePath().normalize();
  }

  Node node(String name) throws IOException {
    return node(name, recordingClient());
  }

  /** A node whose agent uses the given client (e.g. with a ServiceAccount's token); the node closes it. */
  Node node(String name, KubernetesClient agentClient) throws IOException {
    Node node = new Node(name, dir.resolve(name), agentClient);
    nodes.add(node);
    return node;
  }

  VirtualGuest create(String yaml) {
    return client.resource(SyncFixtures.guest(yaml)).create();
  }

  VirtualGuest get(String namespace, String name) {
    return client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).get();
  }

  /** Every request the server received (on the real server: every request of the agents) since the last call. */
  synchronized List<RecordedRequest> drainRequests() {
    List<RecordedRequest> drained = new ArrayList<>();
    if (real != null) {
      synchronized (agentRequests) {
        drained.addAll(agentRequests);
        agentRequests.clear();
      }
      requests.addAll(drained);
      return drained;
    }
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
    if (real != null) {
      RealApiCleaner.clean(client, LEASES);
      return; // the shared client and server stay for the next test
    }
    client.close();
    server.destroy();
  }
}
