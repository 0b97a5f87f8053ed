package io.vguest.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vguest.operator.AgentConfig.WatchFilter;
import java.util.List;

/**
 * The API server of one run (floor or agent): fabric8's mock ({@link MockCluster}) or a real
 * kube-apiserver with etcd ({@link RealCluster}), with clients told apart by user agent so each
 * client's requests can be counted.
 */
public interface BenchCluster extends AutoCloseable {

  /** User agent of the harness's own requests (creating guests, watching them); never counted as agent work. */
  String HARNESS = "vguest-bench";

  /** Which API server {@code --api} asks for: {@code mock} (the default) or {@code real}. */
  static BenchCluster start(String api) {
    return switch (api) {
      case "mock" -> new MockCluster();
      case "real" -> new RealCluster();
      default -> throw new IllegalArgumentException("--api " + api + ": allowed values are mock, real");
    };
  }

  /** A new client of this server whose requests carry the given user agent. */
  KubernetesClient client(String userAgent);

  KubernetesClient harness();

  /** Every request counted since the last call, oldest first. */
  List<ApiRequest> drain();

  /** The namespace of this run's guests (runs on one real server each get their own). */
  String namespace();

  /** The node of this run's guests and agent (runs on one real server each get their own). */
  String node();

  /** How the agent filters its watches here: on the server where the server can (real), else in the agent. */
  WatchFilter watchFilter();

  @Override
  void close();
}
