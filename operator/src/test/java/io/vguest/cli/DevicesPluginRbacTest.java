package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.SyncFixtures;
import io.vguest.testing.RealApi;
import io.vguest.testing.RealApiServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The plugin under the Role docs/security.md gives an operator of guests, on the real API server. */
@RealApi
class DevicesPluginRbacTest {

  @Test
  void theDocumentedRoleIsEnoughForShowSetAndReset(RealApiServer server, KubernetesClient admin) throws Exception {
    String namespace = server.newNamespace("devices-rbac");
    String doc = Files.readString(Path.of(System.getProperty("vguest.repoRoot", "..")).resolve("docs/security.md"));
    String block = doc.substring(doc.indexOf("```yaml", doc.indexOf("<!-- devices-plugin-role -->")) + 7);
    block = block.substring(0, block.indexOf("```")).replace("namespace: demo", "namespace: " + namespace);
    for (HasMetadata object : admin.load(new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8))).items()) {
      admin.resource(object).create();
    }
    admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("alice").endMetadata().build()).create();
    admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("vguest-devices").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "vguest-devices")
        .addNewSubject().withKind("ServiceAccount").withName("alice").withNamespace(namespace).endSubject().build())
        .create();
    VirtualGuest guest = SyncFixtures.guest("""
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: web-1, namespace: %s}
        spec:
          nodeName: node-a
          runStrategy: Halted
          resources: {cpus: 1, memory: 256Mi}
          disks:
            - {name: root, role: root, source: {volume: {pool: default, name: web-1-root.qcow2}}}
        """.formatted(namespace));
    admin.resource(guest).create();
    String token = admin.serviceAccounts().inNamespace(namespace).withName("alice")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
        .getStatus().getToken();

    assertEquals(0, run(server, token, "show", "web-1", "-n", namespace));
    assertEquals(0, run(server, token, "set", "web-1", "-n", namespace, "-p", "diskBus=scsi"));
    assertEquals("scsi", admin.resources(VirtualGuest.class).inNamespace(namespace).withName("web-1").get()
        .getSpec().devices.diskBus.value());
    assertEquals(0, run(server, token, "reset", "web-1", "-n", namespace, "diskBus"));
    // and nothing beyond its namespace
    StringWriter err = new StringWriter();
    int exit = DevicesCommand.commandLine(new DevicesCommand(() -> new KubernetesClientBuilder()
        .withConfig(server.configWithToken(token)).build()), new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute("show", "web-1", "-n", "default");
    assertEquals(1, exit, err.toString());
    assertTrue(err.toString().toLowerCase(java.util.Locale.ROOT).contains("forbidden")
        || err.toString().contains("denied"), err.toString());
  }

  private static int run(RealApiServer server, String token, String... args) {
    StringWriter err = new StringWriter();
    int exit = DevicesCommand.commandLine(new DevicesCommand(() -> new KubernetesClientBuilder()
        .withConfig(server.configWithToken(token)).build()), new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute(args);
    assertEquals(0, exit, String.join(" ", args) + ": " + err);
    return exit;
  }
}
