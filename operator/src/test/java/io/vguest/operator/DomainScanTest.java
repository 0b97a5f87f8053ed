package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.operator.AgentFixture.Node;
import io.vguest.reconcile.StatusBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's periodic scan of its node's domains, against the mock API server and a test-driver node. */
class DomainScanTest {

  static final String DOMAIN = NodeAgentTest.DOMAIN;

  @TempDir Path dir;
  AgentFixture cluster;
  Node a;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new AgentFixture(dir);
    a = cluster.node("node-a").start(Duration.ofMinutes(10));
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private void awaitReady() {
    eventually("web-1 Ready=True", () -> {
      VirtualGuest g = cluster.get("demo", "web-1");
      Condition ready = g.getStatus() == null ? null : StatusBuilder.condition(g.getStatus(), StatusBuilder.READY);
      return ready != null && "True".equals(ready.getStatus());
    });
  }

  @Test
  void scanOfGuestsTheWatchHoldsAsThisNodesReadsNothingFromTheApiServer() {
    cluster.create(NodeAgentTest.WEB);
    awaitReady();
    cluster.drainRequests();

    a.agent.scan();
    a.agent.scan();

    List<String> guestRequests = cluster.drainRequests().stream()
        .filter(r -> r.getPath().contains("/virtualguests")).map(RecordedRequest::getRequestLine).toList();
    assertEquals(List.of(), guestRequests, "no reads or writes of guests while scanning");
    assertEquals(Set.of(), a.agent.orphans());
    assertTrue(a.defined(DOMAIN));
  }

  @Test
  void domainWhoseGuestIsGoneIsReportedAndKept() {
    cluster.create(NodeAgentTest.WEB);
    awaitReady();
    a.stopAgent();
    VirtualGuest guest = cluster.get("demo", "web-1");
    guest.getMetadata().setFinalizers(List.of());
    cluster.client.resource(guest).update();
    cluster.client.resource(guest).delete();
    eventually("guest gone from the API", () -> cluster.get("demo", "web-1") == null);

    a.start(Duration.ofMinutes(10));
    a.agent.scan();

    assertEquals(Set.of("demo/web-1"), a.agent.orphans());
    assertTrue(a.defined(DOMAIN), "an orphaned domain is reported, never removed");
  }
}
