package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Install tier, last steps: deploy/ applied with `kubectl apply -k` after `helm uninstall` gives a
 * Ready agent within 30 s with the default libvirt URI, which adopts the running guests as they are;
 * the opt-in memory measurement with many guests; and a check that every block of the install guide
 * marked for this tier was run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PlainManifestsSteps {

  static final Duration AGENT_READY = Duration.ofSeconds(30);

  @Test
  @Order(1)
  void kustomizeBaseGivesAReadyAgentWithTheDefaultUriAndAdoptsTheGuests(InstallTier tier) throws Exception {
    Path overlay = deployOverlay(tier);
    Instant applied = Instant.now();
    // As docs/install.md says (server-side); forced, as Helm wrote the CRDs and the Secret before.
    tier.kubectl("apply", "--server-side", "--force-conflicts", "-k", overlay.toString()).orThrow();
    Duration ready = tier.awaitAgentReady("after kubectl apply -k deploy/", applied);
    assertTrue(ready.compareTo(AGENT_READY) <= 0, "the agent from deploy/ became Ready in " + ready.toSeconds()
        + " s; at most " + AGENT_READY.toSeconds() + " s expected");
    String env = tier.kubectl("-n", InstallTier.SYSTEM, "get", "ds", "vguest", "-o",
        "jsonpath={.spec.template.spec.containers[0].env[?(@.name==\"VGUEST_LIBVIRT_URI\")].value}").orThrow();
    assertEquals("qemu:///system", env.strip(), "deploy/ keeps the default URI");
    tier.assertGuestsUntouched("kubectl apply -k deploy/");
    VirtualGuest windows = tier.guest(ExampleGuests.WINDOWS);
    E2eEnvironment.banner("install tier: " + ExampleGuests.WINDOWS + " (" + windows.getSpec().resources.memory
        + ") has run since the first steps; its QEMU process holds " + ExampleGuests.qemuRssMiB(windows) + " MiB");
    // Left installed: `kubectl delete -k` would delete the CRDs, and with them every guest, while the
    // agent that removes their finalizers goes away in the same breath. The node is torn down next.
  }

  /**
   * Opt-in (VGUEST_INSTALL_SCALE=N, e.g. 1000): N more guests of this node, Halted (defined in the
   * real libvirtd, never started), under the agent from deploy/; measures the agent container's
   * memory against the DaemonSet's limit once all are Stopped, then deletes them.
   */
  @Test
  @Order(2)
  void agentMemoryWithManyGuestsOfItsNode(InstallTier tier) throws Exception {
    int count = Integer.getInteger("vguest.install.scale", Integer.parseInt(
        Optional.ofNullable(System.getenv("VGUEST_INSTALL_SCALE")).orElse("0")));
    Assumptions.assumeTrue(count > 0, "set VGUEST_INSTALL_SCALE=1000 to measure the agent's memory with many guests");
    tier.awaitAgentReady("for the scale run (the agent from deploy/)", Instant.now());
    String pool = tier.examples.linuxPool();
    StringBuilder manifests = new StringBuilder();
    for (int i = 0; i < count; i++) {
      manifests.append("""
          ---
          apiVersion: vguest.io/v1alpha1
          kind: VirtualGuest
          metadata: {name: scale-%d, namespace: %s}
          spec:
            nodeName: %s
            runStrategy: Halted
            resources: {cpus: 1, memory: 64Mi}
            disks:
              - {name: root, role: root, source: {volume: {pool: %s, name: %s-root.qcow2}}}
            interfaces:
              - {name: eth0, userMode: true}
          """.formatted(i, InstallTier.NAMESPACE, RealNode.NODE_NAME, pool, ExampleGuests.LINUX));
    }
    Path file = tier.work.resolve("scale-guests.yaml");
    Files.writeString(file, manifests);
    Instant created = Instant.now();
    tier.kubectl("create", "-f", file.toString()).orThrow();
    tier.await(count + " guests Stopped", () -> tier.kubectl("-n", InstallTier.NAMESPACE, "get", "vg", "-o",
        "jsonpath={range .items[*]}{.status.state}{\"\\n\"}{end}").output(),
        out -> out.lines().filter("Stopped"::equals).count() >= count);
    Duration took = Duration.between(created, Instant.now());
    Thread.sleep(15_000); // a few renewals and scrapes at rest
    long rss = InstallTier.agentRssMiB();
    E2eEnvironment.banner("install tier: " + count + " guests Stopped in " + took.toSeconds() + " s; agent resident "
        + "memory " + rss + " MiB (the DaemonSet's limit: 512 MiB)");
    List<String> examples = List.copyOf(tier.domainIds.keySet());
    tier.kubectl("-n", InstallTier.NAMESPACE, "delete", "-f", file.toString(), "--wait=false").orThrow();
    tier.await("the scale guests gone", () -> tier.kubectl("-n", InstallTier.NAMESPACE, "get", "vg", "-o", "name")
        .output(), out -> out.lines().count() <= examples.size());
    assertTrue(rss > 0 && rss < 512, "agent resident memory " + rss + " MiB with " + count + " guests");
  }

  @Test
  @Order(3)
  void everyInstallTierBlockOfTheGuideRan(InstallTier tier) throws Exception {
    assertEquals(List.of(), tier.docs.notRun(), InstallDocs.GUIDE + ": blocks marked <!-- " + InstallDocs.MARKER
        + " --> that the tier did not run (lines)");
  }

  /**
   * deploy/ as a kustomize base, with only what this node needs on top: the host directories of the
   * private libvirtd's socket (a node's /run/libvirt) and swtpm state, the identity Secret
   * install.md has you create, host networking and the API server's address (no kube-proxy here), a
   * free HTTP port, the pools the examples name, the console directory, and the image from the
   * build. The libvirt URI stays the default.
   */
  private static Path deployOverlay(InstallTier tier) throws Exception {
    Path dir = Files.createDirectories(tier.work.resolve("deploy-overlay"));
    String base = dir.relativize(tier.repoRoot.resolve("deploy")).toString();
    Files.writeString(dir.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - %s
        images:
          - name: vguest
            newTag: "%s"
        secretGenerator:
          - name: vguest-identity
            namespace: vguest-system
            literals: ["seed=%s"]
        generatorOptions:
          disableNameSuffixHash: true
        patches:
          - path: node.yaml
          - target: {kind: DaemonSet, name: vguest}
            patch: |-
              - {op: replace, path: /spec/template/spec/containers/0/ports/0/containerPort, value: %d}
        """.formatted(base, tier.version, E2eEnvironment.SEED, tier.agentPort));
    Files.writeString(dir.resolve("node.yaml"), """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: vguest, namespace: vguest-system}
        spec:
          template:
            spec:
              hostNetwork: true
              dnsPolicy: ClusterFirstWithHostNet
              containers:
                - name: agent
                  imagePullPolicy: Never
                  env:
                    - {name: KUBERNETES_SERVICE_HOST, value: "127.0.0.1"}
                    - {name: KUBERNETES_SERVICE_PORT, value: "%d"}
                    - {name: VGUEST_HTTP_PORT, value: "%d"}
                    - {name: VGUEST_CONSOLE_LOG_DIR, value: "%s"}
                    - {name: VGUEST_SHUTDOWN_GRACE, value: "30s"}
                    - {name: VGUEST_ALLOWED_POOLS, value: "%s"}
              volumes:
                - name: libvirt-sockets
                  hostPath: {path: "%s", type: Directory}
                - name: swtpm-state
                  hostPath: {path: "%s", type: DirectoryOrCreate}
        """.formatted(tier.cluster.apiPort, tier.agentPort, tier.node.consoleDir, String.join(",", tier.examples.pools),
        tier.daemon.socketDir(), tier.daemon.dir.resolve("lib/swtpm")));
    return dir;
  }
}
