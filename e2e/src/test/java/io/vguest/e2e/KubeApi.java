package io.vguest.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.testing.RealApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Kubernetes API the suite's agents and scenarios talk to: a real kube-apiserver with etcd
 * ({@link RealApiServer}, the default), fabric8's mock API server in CRUD mode where the server's
 * binaries are missing, or a real cluster named by a kubeconfig ({@code VGUEST_E2E_KUBECONFIG}).
 * Either way it gives a client for the scenarios, a kubeconfig file for the agent processes and a
 * namespace for the run's guests, profiles and Leases, and removes what it created when closed.
 */
abstract class KubeApi implements AutoCloseable {

  /** The guests' CRDs, as checked in. */
  static final List<String> CRDS = List.of("virtualguests.vguest.io.yaml", "guestdeviceprofiles.vguest.io.yaml");

  final KubernetesClient client;
  final Path kubeconfig;
  final String namespace;

  private KubeApi(KubernetesClient client, Path kubeconfig, String namespace) {
    this.client = client;
    this.kubeconfig = kubeconfig;
    this.namespace = namespace;
  }

  /** How the agents filter the watch: the mock cannot answer field selectors on spec.nodeName. */
  abstract String watchFilter();

  /** What the banner says about the API. */
  abstract String describe();

  /**
   * The real API server of this JVM (kube-apiserver and etcd, agents watching with field selectors
   * on the server); fabric8's mock server, saying so, only where the server's binaries are missing.
   * Binaries that are there but do not start fail the suite.
   */
  static KubeApi realApiServer(Path crds, Path kubeconfig) throws IOException {
    if (!RealApiServer.binariesFound()) {
      System.out.println("vguest e2e: no kube-apiserver binaries (KUBE_API_TEST_DIR, ../shared/kube-api-test); "
          + "the agents run against fabric8's mock API server instead, filtering in the client");
      return mock(crds, kubeconfig);
    }
    RealApiServer server = RealApiServer.shared();
    Files.writeString(kubeconfig, server.kubeconfigYaml());
    return cluster(kubeconfig, crds, "real API server: kube-apiserver " + server.version() + " with etcd, agents "
        + "watching with field selectors on the server");
  }

  /** fabric8's mock API server in CRUD mode, with vguest's CRDs, and a kubeconfig pointing at it. */
  static KubeApi mock(Path crds, Path kubeconfig) throws IOException {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    KubernetesClient client = server.createClient();
    try {
      for (CustomResourceDefinition crd : crds(client, crds)) {
        client.resource(crd).create();
      }
      Files.writeString(kubeconfig, kubeconfig(server.url("/")));
    } catch (IOException | RuntimeException e) {
      client.close();
      server.destroy();
      throw e;
    }
    return new KubeApi(client, kubeconfig, Guests.NAMESPACE) {
      @Override
      String watchFilter() {
        return "client";
      }

      @Override
      String describe() {
        return "fabric8 mock API server (CRUD mode) at " + server.url("/");
      }

      @Override
      public void close() {
        client.close();
        server.destroy();
      }
    };
  }

  /**
   * A real cluster: installs the CRDs that are missing (and only those are removed again) and
   * creates a namespace of its own for this run, removed at the end with everything in it.
   */
  /** How long one request of the suite's own client may take. */
  static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(60);

  static KubeApi cluster(Path kubeconfig, Path crds) throws IOException {
    return cluster(kubeconfig, crds, "the cluster of VGUEST_E2E_KUBECONFIG=" + kubeconfig);
  }

  private static KubeApi cluster(Path kubeconfig, Path crds, String label) throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    // A server that accepts a request and never answers must fail the run, not hang it until CI's limit.
    config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    List<String> installed = new ArrayList<>();
    String namespace = "vguest-e2e-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    try {
      for (CustomResourceDefinition crd : crds(client, crds)) {
        String name = crd.getMetadata().getName();
        if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() == null) {
          client.resource(crd).create();
          installed.add(name);
          awaitEstablished(client, name);
        }
      }
      client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    } catch (RuntimeException e) {
      removeCrds(client, installed);
      client.close();
      throw e;
    }
    return new KubeApi(client, kubeconfig.toAbsolutePath(), namespace) {
      @Override
      String watchFilter() {
        return "auto";
      }

      @Override
      String describe() {
        return label + ", namespace " + namespace
            + (installed.isEmpty() ? " (CRDs were there)" : " (installed CRDs " + installed + ")");
      }

      /** Called after the agents stopped: lets go of the guests they can no longer finalize. */
      @Override
      public void close() {
        try {
          for (VirtualGuest guest : client.resources(VirtualGuest.class).inNamespace(namespace).list().getItems()) {
            client.resources(VirtualGuest.class).inNamespace(namespace).withName(guest.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
          }
          client.namespaces().withName(namespace).delete();
          removeCrds(client, installed);
        } catch (RuntimeException e) {
          System.out.println("vguest e2e: cleanup in the cluster failed (namespace " + namespace + ", CRDs "
              + installed + "): " + e.getMessage());
        } finally {
          client.close();
        }
      }
    };
  }

  /** The checkout the suite runs in (Maven passes it; the default fits a run from e2e/). */
  static Path repoRoot() {
    return Path.of(System.getProperty("vguest.repoRoot", "..")).toAbsolutePath().normalize();
  }

  /** A kubeconfig naming one server, without credentials (the mock server asks for none). */
  static String kubeconfig(String server) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: e2e
            cluster: {server: "%s"}
        users:
          - name: e2e
            user: {}
        contexts:
          - name: e2e
            context: {cluster: e2e, user: e2e, namespace: %s}
        current-context: e2e
        """.formatted(server, Guests.NAMESPACE);
  }

  private static List<CustomResourceDefinition> crds(KubernetesClient client, Path dir) throws IOException {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String file : CRDS) {
      try (InputStream in = Files.newInputStream(dir.resolve(file))) {
        crds.add(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
      }
    }
    return crds;
  }

  private static void awaitEstablished(KubernetesClient client, String name) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      if (crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus()
          .getConditions().stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"))) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("CRD " + name + " not established after 60 s");
  }

  private static void removeCrds(KubernetesClient client, List<String> names) {
    for (String name : names) {
      client.apiextensions().v1().customResourceDefinitions().withName(name).delete();
    }
  }
}
