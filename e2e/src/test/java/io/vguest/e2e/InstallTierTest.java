package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static io.vguest.e2e.GuestExpectations.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The install tier: the shipped install run for real. A real single-node cluster ({@link RealNode}),
 * the project's container image imported into its containerd, a private libvirtd with QEMU as the
 * node's libvirt. The Helm chart is installed with Helm itself; the README's example guest, applied
 * with kubectl, must run and its booted console report the identity its status promises; the agent
 * pod deleted and the chart upgraded to a new image tag must leave the guest running untouched;
 * after `helm uninstall` the guest keeps running; then deploy/ applied with `kubectl apply -k` must
 * give a Ready agent within 30 s with the default libvirt URI and adopt the guest as it is.
 */
@Isolated
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallTierTest {

  static final String RELEASE = "vguest";
  static final String SYSTEM = "vguest-system";
  static final String NAMESPACE = "demo";
  static final String GUEST = "web-1";
  static final String POOL = "default";
  static final Duration AGENT_READY = Duration.ofSeconds(30);
  private static final Duration CONVERGE = Duration.ofMinutes(4);
  /** The chart's liveness probe gives up after 3 failures 10 s apart; wait past that. */
  private static final Duration LIVENESS_WINDOW = Duration.ofSeconds(45);
  private static final ObjectMapper YAML = new YAMLMapper();

  private final Path repoRoot = KubeApi.repoRoot();
  private final Path work = Path.of(System.getProperty("vguest.install.dir", "target/install")).toAbsolutePath();
  private final Path cache = Path.of(System.getProperty("vguest.e2e.cache", "target/e2e-cache")).toAbsolutePath();
  private final String version = System.getProperty("vguest.version", "0.1.0-SNAPSHOT");
  private RealNode cluster;
  private LibvirtDaemon daemon;
  private E2eNode node;
  private int agentPort;
  /** The identity the guest reported when it first booted; later steps must see the same. */
  private GuestExpectations.SeenIdentity first;
  private int domainId;

  @BeforeAll
  void startNodeAndLibvirt() throws Exception {
    Path image = repoRoot.resolve("packaging/target/vguest-image.tar");
    Optional<String> missing = Prerequisites.switchedOff() ? Optional.of("switched off (VGUEST_E2E_SKIP)")
        : Prerequisites.missing().or(() -> RealNode.missing(repoRoot))
            .or(() -> Files.isRegularFile(image) ? Optional.empty() : Optional.of("the image tar " + image
                + " is missing: build the packaging module first (bin/test, or mvn -pl packaging,e2e -am verify)"));
    if (missing.isPresent()) {
      String reason = missing.get();
      if (required() && !Prerequisites.switchedOff()) {
        throw new IllegalStateException("install tier cannot run, and it is required here (VGUEST_INSTALL_REQUIRE): "
            + reason);
      }
      E2eEnvironment.banner("install tier SKIPPED: " + reason);
      Assumptions.abort("install tier skipped: " + reason);
    }
    Instant started = Instant.now();
    GuestImage guest = GuestImage.build(cache.resolve("guest"));
    LibvirtDaemon.endLeftovers(work.resolve("libvirt"));
    LibvirtDaemon.deleteTree(work.resolve("libvirt"));
    LibvirtDaemon.deleteTree(work.resolve("pool"));
    Path pool = Files.createDirectories(work.resolve("pool"));
    Files.copy(guest.kernel(), pool.resolve(E2eEnvironment.KERNEL_VOLUME), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(guest.initramfs(), pool.resolve(E2eEnvironment.INITRD_VOLUME), StandardCopyOption.REPLACE_EXISTING);
    // The example's root volume, empty (the guest boots from kernelBoot); raw data under the
    // example's name, as the domain names no format for an existing volume.
    Commands.run(Duration.ofMinutes(1), "qemu-img", "create", "-q", "-f", "raw",
        pool.resolve(GUEST + "-root.qcow2").toString(), "64M").orThrow();
    daemon = new LibvirtDaemon("i", work.resolve("libvirt"), cache.resolve("libvirt-cache-i"));
    daemon.start();
    daemon.virsh("pool-define-as", POOL, "dir", "--target", pool.toString()).orThrow();
    daemon.virsh("pool-start", POOL).orThrow();
    node = new E2eNode("i", daemon, false);
    node.connect();

    cluster = RealNode.start(repoRoot, work);
    cluster.importImage(image);
    agentPort = RealNode.freePort();
    E2eEnvironment.banner("install tier: node " + RealNode.NODE_NAME + " Ready, image imported, libvirtd at "
        + daemon.socketDir() + " in " + Duration.between(started, Instant.now()).toSeconds() + " s");
  }

  @AfterAll
  void stopEverything() {
    for (AutoCloseable resource : new AutoCloseable[] {cluster, node}) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception e) {
        System.err.println("install tier: closing " + resource + ": " + e);
      }
    }
    if (daemon != null) {
      daemon.removeAllDomains();
      daemon.close();
    }
  }

  @Test
  @Order(1)
  void chartInstallsAnAgentThatRunsTheExampleGuest() throws Exception {
    Instant installed = Instant.now();
    new Helm(repoRoot.resolve("helm-chart")).install().withName(RELEASE).withNamespace(SYSTEM).createNamespace()
        .withKubeConfig(cluster.kubeconfig).withValuesFile(values(version)).call();
    awaitAgentReady("after helm install", installed);

    cluster.kubectl("create", "namespace", NAMESPACE).orThrow();
    cluster.kubectl("apply", "-f", repoRoot.resolve("examples/linux-profile.yaml").toString()).orThrow();
    cluster.kubectl("apply", "-f", exampleGuest().toString()).orThrow();
    VirtualGuest guest = awaitGuest("the example guest Running", g -> E2eCluster.converged(g)
        && "Running".equals(g.getStatus().state));

    GuestReport report = node.awaitReport(guest);
    assertGuestSees(guest, report, RealNode.NODE_NAME);
    first = seen(report);
    domainId = domainId();
    String blank = qemuImgFormat(POOL, NAMESPACE + "_" + GUEST + "_data.qcow2");
    assertEquals("qcow2", blank, "the example's blank data disk, as the domain XML declares it");
    E2eEnvironment.banner("install tier: agent pod resident memory with one guest: " + agentRssMiB()
        + " MiB (the chart's limit: 512 MiB)");
  }

  @Test
  @Order(2)
  void deletingTheAgentPodChangesNothing() {
    String pod = agentPod();
    Instant deleted = Instant.now();
    cluster.kubectl("-n", SYSTEM, "delete", "pod", pod, "--wait=true").orThrow();
    awaitAgentReady("after its pod was deleted", deleted);
    assertUntouched("the agent pod deleted");
  }

  /**
   * libvirtd away for longer than the liveness probe's window: the agent turns unready (readiness
   * reflects libvirt) but is not restarted (liveness does not), and is Ready again once libvirtd is
   * back, with the guest untouched.
   */
  @Test
  @Order(3)
  void anAgentWaitingForLibvirtIsUnreadyButNotRestarted() throws Exception {
    String pod = agentPod();
    daemon.stop();
    try {
      await("the agent unready while libvirtd is down", this::agentReadyAndRestarts, s -> s.startsWith("False "));
      Thread.sleep(LIVENESS_WINDOW.toMillis());
      assertEquals("False 0", agentReadyAndRestarts(), "unready and never restarted after "
          + LIVENESS_WINDOW.toSeconds() + " s without libvirt");
      assertEquals(pod, agentPod(), "the same pod");
    } finally {
      daemon.start();
    }
    awaitAgentReady("after libvirtd came back", Instant.now());
    assertEquals("True 0", agentReadyAndRestarts());
    assertUntouched("libvirtd stopped and started under the agent");
  }

  /** The agent pod's Ready condition and its container's restart count, e.g. "True 0". */
  private String agentReadyAndRestarts() {
    return cluster.kubectl("-n", SYSTEM, "get", "pods", "-o", "jsonpath={.items[0].status.conditions[?(@.type=="
        + "\"Ready\")].status} {.items[0].status.containerStatuses[0].restartCount}").output().strip();
  }

  @Test
  @Order(4)
  void upgradingToANewImageTagKeepsTheGuestRunning() throws Exception {
    String tag = version + "-upgrade";
    cluster.tagImage("docker.io/library/vguest:" + version, "docker.io/library/vguest:" + tag);
    String before = agentPod();
    Instant upgraded = Instant.now();
    new Helm(repoRoot.resolve("helm-chart")).upgrade().withName(RELEASE).withNamespace(SYSTEM)
        .withKubeConfig(cluster.kubeconfig).withValuesFile(values(tag)).call();
    await("a new agent pod with image tag " + tag, () -> cluster.kubectl("-n", SYSTEM, "get", "pods", "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.spec.containers[0].image} {.status.conditions[?(@.type=="
        + "\"Ready\")].status}{\"\\n\"}{end}").output(), out -> out.lines().anyMatch(l -> !l.startsWith(before + " ")
        && l.contains(":" + tag + " ") && l.endsWith("True")));
    awaitAgentReady("after helm upgrade", upgraded);
    assertUntouched("helm upgrade to " + tag);
  }

  @Test
  @Order(5)
  void uninstallingTheChartLeavesTheGuestRunning() throws Exception {
    Helm.uninstall(RELEASE).withNamespace(SYSTEM).withKubeConfig(cluster.kubeconfig).call();
    await("the agent pod gone", () -> cluster.kubectl("-n", SYSTEM, "get", "pods", "-o", "name").output(),
        String::isBlank);
    assertEquals(domainId, domainId(), "the guest's QEMU process runs on after helm uninstall");
    assertTrue(cluster.kubectl("get", "crd", "virtualguests.vguest.io").ok(), "the CRDs stay (Helm keeps crds/)");
    assertTrue(cluster.kubectl("-n", NAMESPACE, "get", "vg", GUEST).ok(), "the VirtualGuest stays");
  }

  @Test
  @Order(6)
  void kustomizeBaseGivesAReadyAgentWithTheDefaultUriAndAdoptsTheGuest() throws Exception {
    Path overlay = deployOverlay();
    Instant applied = Instant.now();
    // As docs/install.md says (server-side); forced, as Helm wrote the CRDs and the Secret before.
    cluster.kubectl("apply", "--server-side", "--force-conflicts", "-k", overlay.toString()).orThrow();
    Duration ready = awaitAgentReady("after kubectl apply -k deploy/", applied);
    assertTrue(ready.compareTo(AGENT_READY) <= 0, "the agent from deploy/ became Ready in " + ready.toSeconds()
        + " s; at most " + AGENT_READY.toSeconds() + " s expected");
    String env = cluster.kubectl("-n", SYSTEM, "get", "ds", "vguest", "-o",
        "jsonpath={.spec.template.spec.containers[0].env[?(@.name==\"VGUEST_LIBVIRT_URI\")].value}").orThrow();
    assertEquals("qemu:///system", env.strip(), "deploy/ keeps the default URI");
    assertUntouched("kubectl apply -k deploy/");
    // Left installed: `kubectl delete -k` would delete the CRDs, and with them every guest, while the
    // agent that removes their finalizers goes away in the same breath. The node is torn down next.
  }

  /**
   * Opt-in (VGUEST_INSTALL_SCALE=N, e.g. 1000): N more guests of this node, Halted (defined in the
   * real libvirtd, never started), under the agent from deploy/; measures the agent container's
   * memory against the DaemonSet's limit once all are Stopped, then deletes them.
   */
  @Test
  @Order(7)
  void agentMemoryWithManyGuestsOfItsNode() throws Exception {
    int count = Integer.getInteger("vguest.install.scale", Integer.parseInt(
        Optional.ofNullable(System.getenv("VGUEST_INSTALL_SCALE")).orElse("0")));
    Assumptions.assumeTrue(count > 0, "set VGUEST_INSTALL_SCALE=1000 to measure the agent's memory with many guests");
    awaitAgentReady("for the scale run (the agent from deploy/)", Instant.now());
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
          """.formatted(i, NAMESPACE, RealNode.NODE_NAME, POOL, GUEST));
    }
    Path file = work.resolve("scale-guests.yaml");
    Files.writeString(file, manifests);
    Instant created = Instant.now();
    cluster.kubectl("create", "-f", file.toString()).orThrow();
    await(count + " guests Stopped", () -> cluster.kubectl("-n", NAMESPACE, "get", "vg", "-o",
        "jsonpath={range .items[*]}{.status.state}{\"\\n\"}{end}").output(),
        out -> out.lines().filter("Stopped"::equals).count() >= count);
    Duration took = Duration.between(created, Instant.now());
    Thread.sleep(15_000); // a few renewals and scrapes at rest
    E2eEnvironment.banner("install tier: " + count + " guests Stopped in " + took.toSeconds() + " s; agent resident "
        + "memory " + agentRssMiB() + " MiB (the DaemonSet's limit: 512 MiB)");
    long rss = agentRssMiB();
    cluster.kubectl("-n", NAMESPACE, "delete", "vg", "-l", "!nonexistent", "--field-selector",
        "metadata.name!=" + GUEST, "--wait=false").orThrow();
    await("the scale guests gone", () -> cluster.kubectl("-n", NAMESPACE, "get", "vg", "-o", "name").output(),
        out -> out.lines().count() <= 1);
    assertTrue(rss > 0 && rss < 512, "agent resident memory " + rss + " MiB with " + count + " guests");
  }

  /** Same domain, same QEMU process, one boot on the console, the same identity, status converged. */
  private void assertUntouched(String after) {
    VirtualGuest guest = awaitGuest("the guest converged " + after, g -> E2eCluster.converged(g)
        && "Running".equals(g.getStatus().state));
    assertEquals(domainId, domainId(), "the same QEMU process runs the guest " + after + " (no restart)");
    String console = GuestConsole.read(node.console(guest));
    assertEquals(1, console.split("VGE2E-BEGIN", -1).length - 1, "the guest booted once " + after + ": "
        + GuestConsole.tail(console));
    assertEquals(first, seen(node.awaitReport(guest)), "identity " + after);
    assertEquals(first, GuestExpectations.expected(guest, RealNode.NODE_NAME), "status and spec " + after);
  }

  private Path values(String tag) throws Exception {
    ObjectNode v = YAML.createObjectNode();
    v.putObject("image").put("tag", tag).put("pullPolicy", "Never");
    v.putObject("libvirt").put("socketDir", daemon.socketDir().toString());
    v.putObject("identity").put("seed", E2eEnvironment.SEED);
    v.putArray("allowedPools").add(POOL);
    v.put("consoleLogDir", node.consoleDir.toString());
    v.put("shutdownGrace", "30s");
    v.put("httpPort", agentPort);
    v.put("hostNetwork", true);
    ArrayNode env = v.putArray("extraEnv");
    env.addObject().put("name", "KUBERNETES_SERVICE_HOST").put("value", "127.0.0.1");
    env.addObject().put("name", "KUBERNETES_SERVICE_PORT").put("value", String.valueOf(cluster.apiPort));
    Path file = work.resolve("values-" + tag + ".yaml");
    YAML.writeValue(file.toFile(), v);
    return file;
  }

  /**
   * The README's example guest (examples/linux-guest.yaml) as this node can run it: on this node,
   * with 256 MiB, a user-mode NIC instead of libvirt network default (which would need a bridge and
   * dnsmasq on the host), booted from the suite's kernel and initramfs so the console reports what
   * the guest sees. Its disks (root volume, blank data disk, empty cdrom), profile and tags stay.
   */
  private Path exampleGuest() throws Exception {
    ObjectNode doc = (ObjectNode) YAML.readTree(repoRoot.resolve("examples/linux-guest.yaml").toFile());
    ObjectNode spec = (ObjectNode) doc.get("spec");
    spec.put("nodeName", RealNode.NODE_NAME);
    ((ObjectNode) spec.get("resources")).put("cpus", 1).put("memory", "256Mi");
    for (JsonNode nic : spec.get("interfaces")) {
      ((ObjectNode) nic).remove("network");
      ((ObjectNode) nic).put("userMode", true);
    }
    ObjectNode boot = spec.putObject("kernelBoot");
    boot.putObject("kernel").put("pool", POOL).put("name", E2eEnvironment.KERNEL_VOLUME);
    boot.putObject("initrd").put("pool", POOL).put("name", E2eEnvironment.INITRD_VOLUME);
    boot.put("cmdline", "console=ttyS0 quiet no_timer_check vge2e.disks=" + spec.get("disks").size()
        + " vge2e.nics=" + spec.get("interfaces").size());
    Path file = work.resolve("linux-guest.yaml");
    YAML.writeValue(file.toFile(), doc);
    return file;
  }

  /**
   * deploy/ as a kustomize base, with only what this node needs on top: the host directory of the
   * private libvirtd's socket (a node's /run/libvirt), the identity Secret install.md has you create,
   * host networking and the API server's address (no kube-proxy here), a free HTTP port, the pool,
   * the console directory, and the image from the build. The libvirt URI stays the default.
   */
  private Path deployOverlay() throws Exception {
    Path dir = Files.createDirectories(work.resolve("deploy-overlay"));
    String base = dir.relativize(repoRoot.resolve("deploy")).toString();
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
        """.formatted(base, version, E2eEnvironment.SEED, agentPort));
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
              volumes:
                - name: libvirt-sockets
                  hostPath: {path: "%s", type: Directory}
        """.formatted(cluster.apiPort, agentPort, node.consoleDir, daemon.socketDir()));
    return dir;
  }

  /** Waits until the DaemonSet's one pod is Ready; returns how long that took since {@code since}. */
  private Duration awaitAgentReady(String when, Instant since) {
    await("the agent pod Ready " + when, () -> cluster.kubectl("-n", SYSTEM, "get", "pods", "-o",
        "jsonpath={range .items[*]}{.metadata.deletionTimestamp}|{.status.conditions[?(@.type==\"Ready\")].status}"
            + "{\"\\n\"}{end}").output(), out -> out.lines().anyMatch(l -> l.equals("|True")));
    return Duration.between(since, Instant.now());
  }

  private String agentPod() {
    return cluster.kubectl("-n", SYSTEM, "get", "pods", "-o", "jsonpath={.items[0].metadata.name}").orThrow().strip();
  }

  private VirtualGuest awaitGuest(String what, Predicate<VirtualGuest> done) {
    return await(what, () -> {
      Commands.Result r = cluster.kubectl("-n", NAMESPACE, "get", "vg", GUEST, "-o", "json");
      return r.ok() ? Serialization.unmarshal(r.output(), VirtualGuest.class) : null;
    }, g -> g != null && done.test(g));
  }

  /** The agent container's resident memory (its java process on this host), in MiB; -1 when not found. */
  private static long agentRssMiB() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("io.vguest.cli.Main") && c.contains("operator"))
            .orElse(false))
        .mapToLong(p -> {
          try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                .findFirst().orElse(-1);
          } catch (java.io.IOException e) {
            return -1;
          }
        }).max().orElse(-1);
  }

  private int domainId() {
    return Integer.parseInt(daemon.virsh("domid", NAMESPACE + "_" + GUEST).orThrow().strip());
  }

  private String qemuImgFormat(String pool, String volume) throws Exception {
    String path = daemon.virsh("vol-path", "--pool", pool, volume).orThrow().strip();
    JsonNode info = new ObjectMapper().readTree(Commands.run(Duration.ofSeconds(30), "qemu-img", "info", "-U",
        "--output=json", path).orThrow());
    return info.path("format").asText();
  }

  private <T> T await(String what, Supplier<T> read, Predicate<T> done) {
    Instant deadline = Instant.now().plus(CONVERGE);
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new AssertionError("timed out waiting for " + what + "; last: " + last + "\npods: "
        + cluster.kubectl("get", "pods", "-A", "-o", "wide").output() + "\nagent log: "
        + cluster.kubectl("-n", SYSTEM, "logs", "-l", "app.kubernetes.io/name=vguest", "--tail=40").output()
        + "\nkubelet: " + cluster.logTail("kubelet"));
  }

  /** Whether bin/test found everything the tier needs in place (root, packages, binaries). */
  static boolean required() {
    return "1".equals(System.getenv("VGUEST_INSTALL_REQUIRE")) || Boolean.getBoolean("vguest.install.require");
  }
}
