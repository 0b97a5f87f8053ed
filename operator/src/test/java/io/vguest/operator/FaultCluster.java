package io.vguest.operator;


import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.identity.HostSerialSource;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.operator.AgentConfig.Instance;
import io.vguest.operator.AgentConfig.WatchFilter;
import io.vguest.testing.RealApiCleaner;
import io.vguest.testing.RealApiServer;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A cluster for fault tests: the mock API server (CRUD mode) behind a {@link FaultyApiDispatcher}
 * (API faults), or the real API server ({@link #real}: libvirt faults and agents killed only), and
 * nodes whose libvirt sits behind a {@link RecordingHypervisor}. Each agent gets a client of its
 * own, so "killing" an agent cuts it off from the API server at once.
 */
final class FaultCluster implements AutoCloseable {

  final FaultyApiDispatcher api = new FaultyApiDispatcher();
  /** Null on the real API server. */
  final KubernetesMockServer server;
  final RealApiServer real;
  final KubernetesClient client;
  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();

  /** A libvirt test-driver node and the agents that run on it one after another. */
  final class Node implements AutoCloseable {
    final String name;
    final String agentNodeName;
    final Path nodeDir;
    final LibvirtHypervisor libvirt;
    final RecordingHypervisor hypervisor;
    NodeAgent agent;
    private KubernetesClient agentClient;

    Node(String label, String agentNodeName) throws IOException {
      this.name = label;
      this.agentNodeName = agentNodeName;
      this.nodeDir = dir.resolve(label);
      Files.createDirectories(nodeDir);
      this.libvirt = new LibvirtHypervisor(SyncFixtures.testNode(nodeDir));
      this.hypervisor = new RecordingHypervisor(libvirt);
    }

    Node start() {
      return start(Duration.ofSeconds(30));
    }

    /** Starts an agent process on this node; its host id in the node's Lease is the node's label. */
    Node start(Duration lease) {
      agentClient = real != null ? real.newClient() : server.createClient();
      AgentConfig config = AgentConfig.defaults(agentNodeName, AgentFixture.SETTINGS)
          .withWatchFilter(real != null ? WatchFilter.SERVER : WatchFilter.CLIENT)
          .withLeaseNamespace(AgentFixture.LEASES)
          .withHostSerial(HostSerialSource.AUTO, nodeDir.resolve("machine-id"))
          .withInstance(new Instance("agent-" + name, name))
          .withTimings(lease, Duration.ofMinutes(10), Duration.ofSeconds(2));
      agent = NodeAgent.start(agentClient, config, hypervisor);
      return this;
    }

    /**
     * The agent process dies at the gate it is held at: its API connection goes first, then the
     * held thread is let go (into an exception), then what is left of the agent is stopped.
     */
    void kill(RecordingHypervisor.Gate gate) {
      agentClient.close();
      gate.kill();
      agent.close();
      agent = null;
    }

    /** Stops the agent as a node shutting down does (the next {@link #start()} is a new agent process). */
    void stop() {
      agent.close();
      agent = null;
      agentClient.close();
    }

    boolean defined(String domain) {
      try {
        return libvirt.lookup(domain).isPresent();
      } catch (RuntimeException notConnected) {
        return false;
      }
    }

    @Override
    public void close() {
      if (agent != null) {
        agent.close();
      }
      if (agentClient != null) {
        agentClient.close();
      }
      libvirt.close();
    }
  }

  /**
   * On the JVM's real API server (agents watching with field selectors on the server), for the
   * tests that inject no API fault; it leaves the server without guests, events or Leases.
   */
  static FaultCluster real(Path dir) {
    return new FaultCluster(dir, RealApiServer.shared());
  }

  private FaultCluster(Path dir, RealApiServer real) {
    this.dir = dir;
    this.real = real;
    this.server = null;
    this.client = real.client();
    RealApiCleaner.clean(client, AgentFixture.LEASES);
    RealApiCleaner.ensureNamespaces(client, "demo", AgentFixture.LEASES);
  }

  FaultCluster(Path dir) throws IOException {
    this.dir = dir;
    this.real = null;
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
    server.init();
    client = server.createClient();
    for (String crd : List.of("virtualguests.vguest.io.yaml", "guestdeviceprofiles.vguest.io.yaml")) {
      try (InputStream in = Files.newInputStream(AgentFixture.repoRoot().resolve("crds").resolve(crd))) {
        client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
      }
    }
  }

  /** A node whose agent runs as node {@code agentNodeName} (two nodes may claim the same name). */
  Node node(String label, String agentNodeName) throws IOException {
    Node node = new Node(label, agentNodeName);
    nodes.add(node);
    return node;
  }

  VirtualGuest create(String yaml) {
    return client.resource(SyncFixtures.guest(yaml)).create();
  }

  VirtualGuest get(String namespace, String name) {
    return client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).get();
  }

  /** A guest of namespace demo on node-a, with a root volume, an empty cdrom and a NIC. */
  static String guest(String name, String node) {
    return """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %1$s, namespace: demo}
        spec:
          nodeName: %2$s
          resources: {cpus: 1, memory: 512Mi}
          disks:
            - name: root
              role: root
              source: {volume: {pool: default, name: %1$s-root.qcow2}}
            - name: install
              role: cdrom
          interfaces:
            - name: eth0
              network: default
        """.formatted(name, node);
  }

  static boolean ready(VirtualGuest guest) {
    if (guest == null || guest.getStatus() == null) {
      return false;
    }
    Condition ready = StatusBuilder.condition(guest.getStatus(), StatusBuilder.READY);
    return ready != null && "True".equals(ready.getStatus())
        && guest.getMetadata().getGeneration().equals(guest.getStatus().observedGeneration);
  }

  /** The spec as JSON: everything stamped into it (identity, machine type, devices), for comparison. */
  String spec(VirtualGuest guest) {
    VirtualGuestSpec spec = guest.getSpec();
    return client.getKubernetesSerialization().asJson(spec);
  }

  /** Successful writes to a guest's spec or metadata (stamp, finalizer and claim patches), not its status. */
  long appliedGuestPatches(String name) {
    return api.writes().stream().filter(w -> w.applied() && w.method().equals("PATCH")
        && w.path().endsWith("/virtualguests/" + name)).count();
  }

  /** Waits for a condition; fails naming it (never asserts a time). */
  static void eventually(String what, BooleanSupplier condition) {
    AgentFixture.eventually(what, condition);
  }

  @Override
  public void close() {
    nodes.forEach(Node::close);
    if (real != null) {
      RealApiCleaner.clean(client, AgentFixture.LEASES);
      return;
    }
    client.close();
    server.destroy();
  }
}
