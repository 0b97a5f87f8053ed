package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What the install tier runs on, started once per run: a real single-node cluster ({@link RealNode})
 * with the project's image imported into its containerd, and a private libvirtd with QEMU as the
 * node's libvirt, holding the pools and volumes the example guests name ({@link ExampleGuests}).
 * Closed by JUnit after the last step. Also the tier's ways of looking at the node: kubectl, the
 * agent pod, a guest's status, its domain, waiting.
 */
final class InstallTier implements ExtensionContext.Store.CloseableResource {

  static final String RELEASE = "vguest";
  static final String SYSTEM = "vguest-system";
  static final String NAMESPACE = "demo";
  private static final Duration CONVERGE = Duration.ofMinutes(4);

  final Path repoRoot = KubeApi.repoRoot();
  final Path work = Path.of(System.getProperty("vguest.install.dir", "target/install")).toAbsolutePath();
  final Path cache = Path.of(System.getProperty("vguest.e2e.cache", "target/e2e-cache")).toAbsolutePath();
  final String version = System.getProperty("vguest.version", "0.1.0-SNAPSHOT");
  final Path image = repoRoot.resolve("packaging/target/vguest-image.tar");
  RealNode cluster;
  LibvirtDaemon daemon;
  E2eNode node;
  ExampleGuests examples;
  InstallDocs docs;
  int agentPort;
  /** Each guest's QEMU process (domain id) when it first ran; later steps must find the same. */
  final Map<String, Integer> domainIds = new LinkedHashMap<>();
  /** The identity the Linux guest reported on its first boot; later steps must see the same. */
  GuestExpectations.SeenIdentity linuxIdentity;

  /** Why the tier cannot run here, or empty when it can. */
  Optional<String> missing() {
    if (Prerequisites.switchedOff()) {
      return Optional.of("switched off (VGUEST_E2E_SKIP)");
    }
    return Prerequisites.missing().or(() -> RealNode.missing(repoRoot))
        .or(() -> Files.isRegularFile(image) ? Optional.empty() : Optional.of("the image tar " + image
            + " is missing: build the packaging module first (bin/test, or mvn -pl packaging,e2e -am verify)"));
  }

  private void start() throws Exception {
    Instant started = Instant.now();
    GuestImage guest = GuestImage.build(cache.resolve("guest"));
    LibvirtDaemon.endLeftovers(work.resolve("libvirt"));
    LibvirtDaemon.deleteTree(work.resolve("libvirt"));
    daemon = new LibvirtDaemon("i", work.resolve("libvirt"), cache.resolve("libvirt-cache-i"));
    daemon.start();
    examples = new ExampleGuests(this);
    examples.createPoolsAndVolumes(guest);
    node = new E2eNode("i", daemon, false);
    node.connect();

    cluster = RealNode.start(repoRoot, work);
    cluster.importImage(image);
    // The docs' values name the image as pushed to a registry; the node has it without one.
    cluster.tagImage("docker.io/library/vguest:" + version, InstallDocs.REGISTRY_IMAGE + ":" + version);
    agentPort = RealNode.freePort();
    docs = new InstallDocs(this);
    E2eEnvironment.banner("install tier: node " + RealNode.NODE_NAME + " Ready, image imported, libvirtd at "
        + daemon.socketDir() + ", bridge " + RealNode.BRIDGE + " in "
        + Duration.between(started, Instant.now()).toSeconds() + " s");
  }

  @Override
  public void close() {
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

  /** Runs kubectl against the node's API server as its admin. */
  Commands.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  /** Waits until the DaemonSet's one pod is Ready; returns how long that took since {@code since}. */
  Duration awaitAgentReady(String when, Instant since) {
    await("the agent pod Ready " + when, () -> kubectl("-n", SYSTEM, "get", "pods", "-o",
        "jsonpath={range .items[*]}{.metadata.deletionTimestamp}|{.status.conditions[?(@.type==\"Ready\")].status}"
            + "{\"\\n\"}{end}").output(), out -> out.lines().anyMatch(l -> l.equals("|True")));
    return Duration.between(since, Instant.now());
  }

  String agentPod() {
    return kubectl("-n", SYSTEM, "get", "pods", "-o", "jsonpath={.items[0].metadata.name}").orThrow().strip();
  }

  /** The agent pod's Ready condition and its container's restart count, e.g. "True 0". */
  String agentReadyAndRestarts() {
    return kubectl("-n", SYSTEM, "get", "pods", "-o", "jsonpath={.items[0].status.conditions[?(@.type=="
        + "\"Ready\")].status} {.items[0].status.containerStatuses[0].restartCount}").output().strip();
  }

  VirtualGuest awaitGuest(String name, String what, Predicate<VirtualGuest> done) {
    return await(what, () -> guest(name), g -> g != null && done.test(g));
  }

  /** Waits until the agent has converged on the guest and it runs. */
  VirtualGuest awaitRunning(String name, String when) {
    return awaitGuest(name, name + " converged and Running " + when, g -> E2eCluster.converged(g)
        && "Running".equals(g.getStatus().state));
  }

  VirtualGuest guest(String name) {
    Commands.Result r = kubectl("-n", NAMESPACE, "get", "vg", name, "-o", "json");
    return r.ok() ? Serialization.unmarshal(r.output(), VirtualGuest.class) : null;
  }

  /** The id of the QEMU process running the guest's domain. */
  int domainId(String guest) {
    return Integer.parseInt(daemon.virsh("domid", NAMESPACE + "_" + guest).orThrow().strip());
  }

  /**
   * Every example guest as it first ran: converged and Running, the same QEMU process (no restart,
   * no redefine that restarted it); the Linux guest booted once and reports the same identity; the
   * Windows guest's domain holds what its status promises.
   */
  void assertGuestsUntouched(String after) throws Exception {
    for (Map.Entry<String, Integer> first : domainIds.entrySet()) {
      VirtualGuest guest = awaitRunning(first.getKey(), after);
      assertEquals(first.getValue(), domainId(first.getKey()), "the same QEMU process runs " + first.getKey()
          + " " + after + " (no restart)");
      if (first.getKey().equals(ExampleGuests.LINUX)) {
        String console = GuestConsole.read(node.console(guest));
        assertEquals(1, console.split("VGE2E-BEGIN", -1).length - 1, "the guest booted once " + after + ": "
            + GuestConsole.tail(console));
        assertEquals(linuxIdentity, GuestExpectations.seen(node.awaitReport(guest)), "identity " + after);
        assertEquals(linuxIdentity, GuestExpectations.expected(guest, RealNode.NODE_NAME), "status and spec " + after);
      } else {
        examples.assertLibvirtHolds(guest);
      }
    }
  }

  /** The format qemu-img finds in a volume of a pool. */
  String qemuImgFormat(String pool, String volume) throws IOException {
    String path = daemon.virsh("vol-path", "--pool", pool, volume).orThrow().strip();
    JsonNode info = new ObjectMapper().readTree(Commands.run(Duration.ofSeconds(30), "qemu-img", "info", "-U",
        "--output=json", path).orThrow());
    return info.path("format").asText();
  }

  /** The agent container's resident memory (its java process on this host), in MiB; -1 when not found. */
  static long agentRssMiB() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("io.vguest.cli.Main") && c.contains("operator"))
            .orElse(false))
        .mapToLong(p -> {
          try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                .findFirst().orElse(-1);
          } catch (IOException e) {
            return -1;
          }
        }).max().orElse(-1);
  }

  /** Polls {@code read} until {@code done}; fails with the node's state after {@link #CONVERGE}. */
  <T> T await(String what, Supplier<T> read, Predicate<T> done) {
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
        + kubectl("get", "pods", "-A", "-o", "wide").output() + "\nagent log: "
        + kubectl("-n", SYSTEM, "logs", "-l", "app.kubernetes.io/name=vguest", "--tail=40").output()
        + "\nkubelet: " + cluster.logTail("kubelet"));
  }

  /** Whether bin/test found everything the tier needs in place (root, packages, binaries). */
  static boolean required() {
    return "1".equals(System.getenv("VGUEST_INSTALL_REQUIRE")) || Boolean.getBoolean("vguest.install.require");
  }

  /**
   * Starts the tier once (the root store keeps it for every step class) and hands it to the steps;
   * skips them, saying why, where the machine cannot run it, or fails where it is required.
   */
  static final class Extension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(InstallTier.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      tier(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == InstallTier.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return tier(context);
    }

    private static InstallTier tier(ExtensionContext context) {
      ExtensionContext.Store store = context.getRoot().getStore(STORE);
      Object state = store.getOrComputeIfAbsent(InstallTier.class, k -> {
        InstallTier tier = new InstallTier();
        Optional<String> missing = tier.missing();
        if (missing.isPresent()) {
          return missing.get();
        }
        try {
          tier.start();
          return tier;
        } catch (Exception | AssertionError e) {
          tier.close();
          return new IllegalStateException("install tier setup failed: " + e.getMessage(), e);
        }
      });
      if (state instanceof RuntimeException failure) {
        throw failure;
      }
      if (state instanceof String reason) {
        if (required() && !Prerequisites.switchedOff()) {
          throw new IllegalStateException("install tier cannot run, and it is required here "
              + "(VGUEST_INSTALL_REQUIRE): " + reason);
        }
        E2eEnvironment.banner("install tier SKIPPED: " + reason);
        Assumptions.abort("install tier skipped: " + reason);
      }
      return (InstallTier) state;
    }
  }
}
