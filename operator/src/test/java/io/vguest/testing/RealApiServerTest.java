package io.vguest.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.SyncFixtures;
import org.junit.jupiter.api.Test;

/** The real-API tier itself: the server runs, serves vguest's CRDs and filters on their selectable fields. */
@RealApi
class RealApiServerTest {

  @Test
  void servesTheCrdsAndFiltersOnSelectableFields(RealApiServer server, KubernetesClient client) {
    assertEquals("v" + RealApiServer.VERSION, server.version());
    String namespace = server.newNamespace("smoke");
    for (String node : new String[] {"node-a", "node-b"}) {
      client.resource(SyncFixtures.guest("""
          apiVersion: vguest.io/v1alpha1
          kind: VirtualGuest
          metadata: {name: on-%1$s, namespace: %2$s}
          spec:
            nodeName: %1$s
            resources: {cpus: 1, memory: 64Mi}
            disks:
              - {name: root, role: root, source: {blank: {pool: default, size: 1Gi}}}
          """.formatted(node, namespace))).create();
    }
    var onA = client.resources(VirtualGuest.class).inNamespace(namespace).withField("spec.nodeName", "node-a")
        .list().getItems();
    assertEquals(1, onA.size(), "the server filters on spec.nodeName");
    assertEquals("on-node-a", onA.get(0).getMetadata().getName());
    assertTrue(client.resources(VirtualGuest.class).inNamespace(namespace).withField("status.node", "node-a")
        .list().getItems().isEmpty(), "the server filters on status.node");
  }
}
