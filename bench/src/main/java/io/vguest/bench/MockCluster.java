package io.vguest.bench;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vguest.operator.AgentConfig.WatchFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's mock API server in CRUD mode with vguest's CRDs, and clients that tell themselves
 * apart by user agent, so requests can be counted per client at the server.
 */
public final class MockCluster implements BenchCluster {

  /** The mock web server logs every request through java.util.logging; that would dominate the timings. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final KubernetesClient harness;

  public MockCluster() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    harness = client(HARNESS);
    for (String crd : List.of("virtualguests.vguest.io.yaml", "guestdeviceprofiles.vguest.io.yaml")) {
      try (InputStream in = Files.newInputStream(repoRoot().resolve("crds").resolve(crd))) {
        harness.resource(harness.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The repository's root (for the checked-in CRDs): system property vguest.repoRoot, else "..". */
  public static Path repoRoot() {
    String configured = System.getProperty("vguest.repoRoot");
    Path root = Path.of(configured != null && !configured.isBlank() ? configured : "..").toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("crds"))) {
      Path here = Path.of("").toAbsolutePath();
      root = Files.isDirectory(here.resolve("crds")) ? here : root;
    }
    return root;
  }

  @Override
  public KubernetesClient client(String userAgent) {
    Config config = new ConfigBuilder(server.createClient().getConfiguration()).withUserAgent(userAgent).build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    clients.add(client);
    return client;
  }

  @Override
  public KubernetesClient harness() {
    return harness;
  }

  @Override
  public List<ApiRequest> drain() {
    List<ApiRequest> drained = new ArrayList<>();
    try {
      RecordedRequest request;
      while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        drained.add(new ApiRequest(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return drained;
  }

  @Override
  public String namespace() {
    return "bench";
  }

  @Override
  public String node() {
    return "node-a";
  }

  @Override
  public WatchFilter watchFilter() {
    return WatchFilter.CLIENT; // the mock server cannot filter on spec.nodeName
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    server.destroy();
  }
}
