package io.vguest.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.vguest.operator.AgentConfig.WatchFilter;
import io.vguest.testing.RealApiServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real kube-apiserver with etcd (the operator's real-API test tier, {@link RealApiServer}),
 * started once per JVM and shared by every run: each run gets a namespace and a node name of its
 * own, so the agent of one run never sees the guests of another (it filters on the node on the
 * server). A real server records nothing, so the clients count their own requests as they send them.
 */
public final class RealCluster implements BenchCluster {

  private static final AtomicInteger RUNS = new AtomicInteger();
  /** The agent's Leases live there, as in production. */
  static final String LEASE_NAMESPACE = "vguest-system";

  private final RealApiServer server;
  private final String namespace;
  private final String node;
  private final ConcurrentLinkedQueue<ApiRequest> requests = new ConcurrentLinkedQueue<>();
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final KubernetesClient harness;

  public RealCluster() {
    server = RealApiServer.shared();
    int run = RUNS.incrementAndGet();
    namespace = "bench-" + run;
    node = "node-" + run;
    harness = client(HARNESS);
    for (String ns : List.of(namespace, LEASE_NAMESPACE)) {
      if (harness.namespaces().withName(ns).get() == null) {
        harness.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
    }
  }

  @Override
  public KubernetesClient client(String userAgent) {
    Interceptor counter = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        URI uri = request.uri();
        String path = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        requests.add(new ApiRequest(request.method(), path, userAgent));
      }
    };
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(server.adminConfig()).withUserAgent(userAgent).build())
        .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("bench-counter", counter))
        .build();
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  @Override
  public KubernetesClient harness() {
    return harness;
  }

  @Override
  public List<ApiRequest> drain() {
    List<ApiRequest> drained = new ArrayList<>();
    ApiRequest request;
    while ((request = requests.poll()) != null) {
      drained.add(request);
    }
    return drained;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public WatchFilter watchFilter() {
    return WatchFilter.SERVER; // the production mode: two watches filtered on the node by the server
  }

  /** Closes this run's clients; the server, and the run's guests in their namespace, stay until the JVM ends. */
  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(KubernetesClient::close);
    }
  }
}
