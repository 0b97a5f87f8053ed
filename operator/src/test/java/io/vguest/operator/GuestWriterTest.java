package io.vguest.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's writes against the mock API server: each is one request, with no read before it. */
class GuestWriterTest {

  @TempDir Path dir;
  AgentFixture cluster;
  GuestWriter writer;
  io.fabric8.kubernetes.client.KubernetesClient writerClient;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new AgentFixture(dir);
    writerClient = cluster.recordingClient();
    writer = new GuestWriter(writerClient, new AgentMetrics());
  }

  @AfterEach
  void tearDown() {
    writerClient.close();
    cluster.close();
  }

  @Test
  void eachWriteIsOnePatchWithoutAReadBeforeIt() {
    VirtualGuest created = cluster.create(NodeAgentTest.WEB);
    cluster.drainRequests();

    VirtualGuest stamped = writer.stamp(created, "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
        + created.getMetadata().getResourceVersion() + "\"},{\"op\":\"add\",\"path\":\"/metadata/finalizers\","
        + "\"value\":[\"" + GuestWriter.FINALIZER + "\"]}]");
    VirtualGuestStatus status = new VirtualGuestStatus();
    status.node = "node-a";
    VirtualGuest reported = writer.writeStatus(stamped, status);
    VirtualGuest released = writer.removeFinalizer(reported);

    List<String> requests = cluster.drainRequests().stream().map(RecordedRequest::getRequestLine).toList();
    assertEquals(List.of(
        "PATCH /apis/vguest.io/v1alpha1/namespaces/demo/virtualguests/web-1?fieldManager=vguest-agent HTTP/1.1",
        "PATCH /apis/vguest.io/v1alpha1/namespaces/demo/virtualguests/web-1/status HTTP/1.1",
        "PATCH /apis/vguest.io/v1alpha1/namespaces/demo/virtualguests/web-1?fieldManager=vguest-agent HTTP/1.1"), requests);
    assertTrue(stamped.getMetadata().getFinalizers().contains(GuestWriter.FINALIZER));
    assertEquals("node-a", reported.getStatus().node);
    assertTrue(released.getMetadata().getFinalizers() == null || released.getMetadata().getFinalizers().isEmpty());
    assertEquals(3, writer.writes());
  }
}
