package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.operator.AgentFixture.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's metrics, liveness and readiness endpoints. */
class AgentHttpTest {

  @TempDir Path dir;

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesMetricsHealthAndReadiness() throws Exception {
    try (AgentFixture cluster = new AgentFixture(dir)) {
      Node a = cluster.node("node-a").start(Duration.ofMinutes(10));
      try (AgentHttp http = AgentHttp.start(0, a.agent)) {
        cluster.create(NodeAgentTest.WEB);
        eventually("guest running", () -> "Running".equals(cluster.get("demo", "web-1").getStatus().state));

        assertEquals(200, get(http.port(), "/healthz").statusCode());
        eventually("ready", () -> {
          try {
            return get(http.port(), "/readyz").statusCode() == 200;
          } catch (Exception e) {
            return false;
          }
        });
        String metrics = get(http.port(), "/metrics").body();
        assertTrue(metrics.contains("vguest_reconciles_total{outcome=\"done\"}"), metrics);
        assertTrue(metrics.contains("vguest_api_writes_total{kind=\"stamp\"} 1.0"), metrics);
        assertTrue(metrics.contains("vguest_api_writes_total{kind=\"status\"}"), metrics);
        assertTrue(metrics.contains("vguest_libvirt_up 1.0"), metrics);
        assertTrue(metrics.contains("vguest_guests{state=\"Running\"} 1.0"), metrics);
        assertTrue(metrics.contains("vguest_libvirt_call_duration_seconds_count{call=\"define\"} 1"), metrics);

        a.libvirt.close(); // libvirt gone: not ready, still alive
        eventually("not ready without libvirt", () -> {
          try {
            return get(http.port(), "/readyz").statusCode() == 503;
          } catch (Exception e) {
            return false;
          }
        });
        assertEquals(200, get(http.port(), "/healthz").statusCode());
      }
    }
  }
}
