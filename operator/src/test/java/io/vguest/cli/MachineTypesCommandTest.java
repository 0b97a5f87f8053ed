package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.NodeFacts;
import io.vguest.testing.RealApi;
import io.vguest.testing.RealApiServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code vguest machine-types list} and {@code update} against the real API server: guests with
 * labels, stamped as the node agent stamps them (the machine type pinned), some of them running.
 */
@RealApi
class MachineTypesCommandTest {

  static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  static final GuestSettings SETTINGS = GuestSettings.defaults("test-seed").withAllowedPools(Set.of("default"));
  static final NodeFacts NODE = new NodeFacts("node-a", null, 9_000_000L,
      Map.of("q35", "pc-q35-7.2", "pc", "pc-i440fx-7.2"));

  static final String GUEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: %s, namespace: %s, labels: {app: %s}}
      spec:
        nodeName: node-a
        machineType: %s
        resources: {cpus: 1, memory: 256Mi}
        disks:
          - {name: root, role: root, source: {volume: {pool: default, name: %s-root.qcow2}}}
      """;

  record Run(int exit, String out, String err) {}

  /** A stamped guest as the agent leaves it; with a state, its status too (deprecated: the agent's condition). */
  static VirtualGuest create(KubernetesClient admin, String ns, String name, String app, String machineType,
      String state, boolean deprecated) throws Exception {
    VirtualGuest guest = new GuestStamper(SETTINGS, NODE).stamp(YAML.readValue(GUEST.formatted(name, ns, app,
        machineType, name), VirtualGuest.class), null).guest();
    VirtualGuest created = admin.resources(VirtualGuest.class).inNamespace(ns).resource(guest).create();
    if (state != null) {
      VirtualGuestStatus status = new VirtualGuestStatus();
      status.state = state;
      status.node = "node-a";
      if (deprecated) {
        Condition c = new Condition();
        c.setType("MachineTypeDeprecated");
        c.setStatus("True");
        c.setReason("DeprecatedByNode");
        c.setMessage("machine type " + machineType + " is deprecated");
        c.setLastTransitionTime("2026-01-01T00:00:00Z");
        status.conditions = List.of(c);
      }
      created.setStatus(status);
      created = admin.resources(VirtualGuest.class).inNamespace(ns).resource(created).updateStatus();
    }
    return created;
  }

  static Run run(Supplier<KubernetesClient> clients, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = MachineTypesCommand.commandLine(new MachineTypesCommand(clients), new PrintWriter(out),
        new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String spec(KubernetesClient admin, String ns, String name) {
    return admin.resources(VirtualGuest.class).inNamespace(ns).withName(name).get().getSpec().machineType;
  }

  @Test
  void listShowsTheTableAndUpdateChangesTheStoppedGuestsAndNamesTheRunningOnes(RealApiServer server,
      KubernetesClient admin) throws Exception {
    String ns = server.newNamespace("machine-types");
    create(admin, ns, "legacy-a", "legacy", "pc-i440fx-1.5", "Stopped", true);
    create(admin, ns, "legacy-b", "legacy", "pc-i440fx-1.5", "Running", true);
    create(admin, ns, "legacy-c", "legacy", "pc-i440fx-1.6", "Paused", false);
    create(admin, ns, "legacy-d", "legacy", "pc", null, false); // never defined: Pending
    create(admin, ns, "legacy-e", "legacy", "pc-i440fx-1.5", "Crashed", false);
    create(admin, ns, "web-1", "web", "q35", "Stopped", false);
    Supplier<KubernetesClient> clients = server::newClient;

    Run list = run(clients, "list", "-n", ns, "-l", "app=legacy");
    assertEquals(0, list.exit(), list.toString());
    String f = MachineTypesListCommand.FORMAT;
    assertEquals(f.formatted("NAMESPACE", "NAME", "MACHINETYPE", "PINNED", "PINNED-FOR", "NODE", "STATE", "DEPRECATED")
        + f.formatted(ns, "legacy-a", "pc-i440fx-1.5", "pc-i440fx-1.5", "pc-i440fx-1.5", "node-a", "Stopped", "yes")
        + f.formatted(ns, "legacy-b", "pc-i440fx-1.5", "pc-i440fx-1.5", "pc-i440fx-1.5", "node-a", "Running", "yes")
        + f.formatted(ns, "legacy-c", "pc-i440fx-1.6", "pc-i440fx-1.6", "pc-i440fx-1.6", "node-a", "Paused", "-")
        + f.formatted(ns, "legacy-d", "pc", "pc-i440fx-7.2", "pc", "node-a", "Pending", "-")
        + f.formatted(ns, "legacy-e", "pc-i440fx-1.5", "pc-i440fx-1.5", "pc-i440fx-1.5", "node-a", "Crashed", "-"),
        list.out());
    Run deprecated = run(clients, "list", "-n", ns, "--deprecated-on-node");
    assertEquals(List.of("legacy-a", "legacy-b"), deprecated.out().lines().skip(1)
        .map(l -> l.split("\\s+")[1]).toList(), deprecated.out());

    // A dry run checks and changes nothing.
    Run dry = run(clients, "update", "-n", ns, "-l", "app=legacy", "--to", "pc-i440fx-7.2", "--dry-run");
    assertEquals(3, dry.exit(), dry.toString());
    assertTrue(dry.out().contains(ns + "/legacy-a: would set spec.machineType to pc-i440fx-7.2 (was pc-i440fx-1.5)"),
        dry.out());
    assertTrue(dry.out().contains("Dry run: would change 3 of 5 guests."), dry.out());
    assertEquals("pc-i440fx-1.5", spec(admin, ns, "legacy-a"));

    Run update = run(clients, "update", "-n", ns, "-l", "app=legacy", "--to", "pc-i440fx-7.2");
    assertEquals(3, update.exit(), "a guest that is not stopped makes the exit code 3: " + update);
    assertEquals(String.join("\n",
        ns + "/legacy-a: set spec.machineType to pc-i440fx-7.2 (was pc-i440fx-1.5)",
        ns + "/legacy-b: not changed: it is Running; stop it first (its machine type changes only while it is "
            + "stopped)",
        ns + "/legacy-c: not changed: it is Paused; stop it first (its machine type changes only while it is stopped)",
        ns + "/legacy-d: set spec.machineType to pc-i440fx-7.2 (was pc, pinned pc-i440fx-7.2)",
        ns + "/legacy-e: set spec.machineType to pc-i440fx-7.2 (was pc-i440fx-1.5)",
        "Changed 3 of 5 guests; the node agents pin the new type before each next starts.", ""), update.out());
    assertEquals("error: 2 guests are not stopped and were not changed: " + ns + "/legacy-b (Running), " + ns
        + "/legacy-c (Paused); stop them and run the command again\n", update.err());
    assertEquals("pc-i440fx-7.2", spec(admin, ns, "legacy-a"));
    assertEquals("pc-i440fx-1.5", spec(admin, ns, "legacy-b"), "running: unchanged");
    assertEquals("pc-i440fx-1.6", spec(admin, ns, "legacy-c"), "paused: unchanged");
    assertEquals("pc-i440fx-7.2", spec(admin, ns, "legacy-d"));
    assertEquals("pc-i440fx-7.2", spec(admin, ns, "legacy-e"));
    assertEquals("q35", spec(admin, ns, "web-1"), "not selected: unchanged");
    VirtualGuest a = admin.resources(VirtualGuest.class).inNamespace(ns).withName("legacy-a").get();
    assertEquals("pc-i440fx-1.5", a.getSpec().identity.machineType,
        "the pin is the agent's: it pins the new request at the next define");
    assertTrue(a.getMetadata().getManagedFields().stream().anyMatch(m -> "vguest-cli".equals(m.getManager())),
        "written under the plugin's field manager");

    Run again = run(clients, "update", "-n", ns, "-l", "app=legacy,state!=x", "--to", "pc-i440fx-7.2");
    assertEquals(3, again.exit(), again.toString());
    assertTrue(again.out().contains(ns + "/legacy-a: unchanged (spec.machineType is already pc-i440fx-7.2)\n"),
        again.out());
    assertTrue(again.out().contains("Changed 0 of 5 guests."), again.out());
  }

  @Test
  void theSameChecksAsForOneGuestAndNothingMatching(RealApiServer server, KubernetesClient admin) throws Exception {
    String ns = server.newNamespace("machine-types-checks");
    VirtualGuest ide = new GuestStamper(SETTINGS, NODE).stamp(YAML.readValue("""
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: old-ide, namespace: %s, labels: {app: old}}
        spec:
          nodeName: node-a
          osFamily: other
          machineType: pc-i440fx-1.5
          resources: {cpus: 1, memory: 256Mi}
          disks:
            - {name: root, role: root, source: {volume: {pool: default, name: old-ide-root.qcow2}}}
        """.formatted(ns), VirtualGuest.class), null).guest();
    admin.resources(VirtualGuest.class).inNamespace(ns).resource(ide).create();
    create(admin, ns, "old-virtio", "old", "pc-i440fx-1.5", "Stopped", false);
    Supplier<KubernetesClient> clients = server::newClient;

    Run bad = run(clients, "update", "-n", ns, "-l", "app=old", "--to", "q35;reboot");
    assertEquals(6, bad.exit(), bad.toString());
    assertTrue(bad.err().startsWith("error: machineType: Invalid value: \"q35;reboot\""), bad.err());

    Run q35 = run(clients, "update", "-n", ns, "-l", "app=old", "--to", "q35");
    assertEquals(7, q35.exit(), "IDE disks do not fit q35, as for devices set: " + q35);
    assertTrue(q35.out().contains(ns + "/old-ide: not changed: the change does not fit the guest: "), q35.out());
    assertTrue(q35.out().contains(ns + "/old-virtio: set spec.machineType to q35 (was pc-i440fx-1.5)"), q35.out());
    assertEquals("pc-i440fx-1.5", spec(admin, ns, "old-ide"));
    assertEquals("q35", spec(admin, ns, "old-virtio"));

    Run none = run(clients, "update", "-n", ns, "-l", "app=nothing", "--to", "q35");
    assertEquals(8, none.exit(), none.toString());
    assertEquals("error: no VirtualGuest in namespace " + ns + " matches the selector app=nothing\n", none.err());
    Run noSelector = run(clients, "update", "-n", ns, "--to", "q35");
    assertEquals(2, noSelector.exit(), noSelector.toString());
    assertTrue(noSelector.err().startsWith("error: update needs a label selector (-l SELECTOR)"), noSelector.err());
    assertEquals("q35", spec(admin, ns, "old-virtio"));
    Run help = run(clients, "update", "--help");
    assertEquals(0, help.exit(), help.toString());
    assertTrue(help.out().replaceAll("\\s+", " ").contains("3 a matching guest is not stopped (Running, Paused or "
        + "Unknown): it was left as it is"), help.out());

    // All namespaces: the guests of both.
    String other = server.newNamespace("machine-types-other");
    create(admin, other, "old-too", "old", "pc-i440fx-1.4", "Stopped", false);
    Run all = run(clients, "list", "-A", "-l", "app=old");
    assertEquals(List.of(ns + "/old-ide", ns + "/old-virtio", other + "/old-too"), all.out().lines().skip(1)
        .map(l -> l.split("\\s+")).map(c -> c[0] + "/" + c[1])
        .filter(k -> k.startsWith(ns + "/") || k.startsWith(other + "/")).toList(),
        all.out());
  }

  @Test
  void theDocumentedRoleIsEnoughForListAndUpdate(RealApiServer server, KubernetesClient admin) throws Exception {
    String ns = server.newNamespace("machine-types-rbac");
    String doc = Files.readString(Path.of(System.getProperty("vguest.repoRoot", "..")).resolve("docs/security.md"));
    String block = doc.substring(doc.indexOf("```yaml", doc.indexOf("<!-- devices-plugin-role -->")) + 7);
    block = block.substring(0, block.indexOf("```")).replace("namespace: demo", "namespace: " + ns);
    for (HasMetadata object : admin.load(new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8))).items()) {
      admin.resource(object).create();
    }
    admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName("bob")
        .endMetadata().build()).create();
    admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("vguest-devices").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "vguest-devices")
        .addNewSubject().withKind("ServiceAccount").withName("bob").withNamespace(ns).endSubject().build()).create();
    create(admin, ns, "old-1", "old", "pc-i440fx-1.5", "Stopped", false);
    String token = admin.serviceAccounts().inNamespace(ns).withName("bob")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
        .getStatus().getToken();
    Supplier<KubernetesClient> bob = () -> new KubernetesClientBuilder().withConfig(server.configWithToken(token))
        .build();

    Run list = run(bob, "list", "-n", ns, "-l", "app=old");
    assertEquals(0, list.exit(), list.toString());
    Run update = run(bob, "update", "-n", ns, "-l", "app=old", "--to", "pc-i440fx-7.2");
    assertEquals(0, update.exit(), update.toString());
    assertEquals("pc-i440fx-7.2", spec(admin, ns, "old-1"));
    Run elsewhere = run(bob, "list", "-A", "-l", "app=old");
    assertEquals(1, elsewhere.exit(), "a namespaced Role does not list other namespaces: " + elsewhere);
    assertTrue(elsewhere.err().toLowerCase(java.util.Locale.ROOT).contains("forbidden"), elsewhere.err());
  }
}
