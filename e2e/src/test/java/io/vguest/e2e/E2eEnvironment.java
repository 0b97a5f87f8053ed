package io.vguest.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Sets up, once for all scenario classes, what the suite runs on: the guest image, two libvirt
 * daemons ("nodes" a and b) with a storage pool each over one shared directory, the Kubernetes API
 * ({@link KubeApi}: fabric8's mock API server, or a real cluster through VGUEST_E2E_KUBECONFIG), one
 * node agent process per node, and the {@link E2eCluster} around them; and tears it all down after
 * the last class, also when a scenario failed or the JVM is stopped (a shutdown hook). After a
 * failure it keeps the guest consoles, daemon and QEMU logs and the agents' logs, and prints where
 * they are.
 *
 * <p>A machine that cannot run the suite (not root, no QEMU, no apt) skips it with the reason
 * printed, unless {@code -Dvguest.e2e.require=true} or {@code VGUEST_E2E_REQUIRE=1} is set (bin/test
 * sets it where it installed the packages as root); then it fails.
 */
public final class E2eEnvironment implements BeforeAllCallback, ParameterResolver, TestWatcher {

  private static final Namespace NAMESPACE = Namespace.create(E2eEnvironment.class);

  /** Seed of the suite's "cluster"; generated identity is derived from it. */
  static final String SEED = "vguest-e2e-seed";
  static final String KERNEL_VOLUME = "e2e-vmlinuz";
  static final String INITRD_VOLUME = "e2e-initramfs.img";
  static final long DISK_BYTES = 64L * 1024 * 1024;

  @Override
  public void beforeAll(ExtensionContext context) {
    Setup setup = setup(context);
    if (setup.skipReason != null) {
      Assumptions.abort("vguest e2e skipped: " + setup.skipReason);
    }
    if (setup.failure != null) {
      throw new IllegalStateException("vguest e2e setup failed: " + setup.failure.getMessage(), setup.failure);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == E2eCluster.class || type == Setup.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Setup setup = setup(context);
    return parameter.getParameter().getType() == Setup.class ? setup : setup.cluster;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    setup(context).failed = true;
  }

  private static Setup setup(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Setup.class, k -> Setup.create(), Setup.class);
  }

  /** The shared environment; closed by JUnit after the last test (or by the shutdown hook). */
  static final class Setup implements ExtensionContext.Store.CloseableResource {
    final Path dir = Path.of(System.getProperty("vguest.e2e.dir", "target/e2e")).toAbsolutePath();
    final Path cache = Path.of(System.getProperty("vguest.e2e.cache", "target/e2e-cache")).toAbsolutePath();
    final Path pool = dir.resolve("pool");
    final Path repoRoot = KubeApi.repoRoot();
    /** The operator's shaded jar, which the agents run from; the reactor packages it before this suite. */
    final Path jar = repoRoot.resolve("operator/target/vguest.jar");
    /** Next to target/e2e, so they are kept after a passing run too. */
    final Path agentLogs = dir.getParent();
    final String kubeconfig = System.getenv("VGUEST_E2E_KUBECONFIG");
    final Instant started = Instant.now();
    String skipReason;
    Exception failure;
    volatile boolean failed;
    GuestImage image;
    LibvirtDaemon daemonA;
    LibvirtDaemon daemonB;
    E2eNode nodeA;
    E2eNode nodeB;
    KubeApi api;
    E2eCluster cluster;
    private Thread hook;
    private boolean closed;

    static Setup create() {
      Setup setup = new Setup();
      if (Prerequisites.switchedOff()) {
        setup.skipReason = "switched off (-Dvguest.e2e.skip=true or VGUEST_E2E_SKIP=1)";
        banner("SKIPPED: " + setup.skipReason);
        return setup;
      }
      Optional<String> missing = Prerequisites.missing();
      if (missing.isPresent()) {
        setup.refuse(missing.get());
        return setup;
      }
      try {
        setup.image = GuestImage.build(setup.cache.resolve("guest"));
      } catch (IOException | RuntimeException e) {
        setup.refuse("cannot build the guest from Debian packages (apt-get download " + GuestImage.KERNEL_METAPACKAGE
            + " " + GuestImage.BUSYBOX_PACKAGE + "): " + e.getMessage());
        return setup;
      }
      try {
        setup.start();
      } catch (Exception e) {
        setup.failure = e;
        setup.failed = true;
        banner("SETUP FAILED: " + e.getMessage());
      }
      return setup;
    }

    /** Skips, or fails when the suite is required here. */
    private void refuse(String reason) {
      if (Prerequisites.required()) {
        failure = new IllegalStateException(reason + " (the suite is required here: VGUEST_E2E_REQUIRE / "
            + "-Dvguest.e2e.require)");
        banner("CANNOT RUN, and it is required: " + reason);
      } else {
        skipReason = reason;
        banner("SKIPPED: " + reason + "\n  The end-to-end suite needs root on Debian 12 with the packages bin/test "
            + "installs; set VGUEST_E2E_REQUIRE=1 to make this a failure.");
      }
    }

    private void start() throws Exception {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("the agents' jar " + jar + " is missing: run the suite through the Maven "
            + "reactor, which packages the operator first (bin/test, or mvn -pl e2e -am verify)");
      }
      Path nodes = dir.resolve("nodes");
      for (String node : List.of("a", "b")) {
        LibvirtDaemon.endLeftovers(nodes.resolve(node));
        Files.deleteIfExists(agentLog(node));
      }
      LibvirtDaemon.deleteTree(dir);
      Files.createDirectories(pool);
      hook = new Thread(this::close, "vguest-e2e-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
      Files.copy(image.kernel(), pool.resolve(KERNEL_VOLUME), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(image.initramfs(), pool.resolve(INITRD_VOLUME), StandardCopyOption.REPLACE_EXISTING);

      daemonA = new LibvirtDaemon("a", nodes.resolve("a"), cache.resolve("libvirt-cache-a"));
      daemonB = new LibvirtDaemon("b", nodes.resolve("b"), cache.resolve("libvirt-cache-b"));
      both(() -> startDaemon(daemonA), () -> startDaemon(daemonB));
      api = kubeconfig != null ? KubeApi.cluster(Path.of(kubeconfig), repoRoot.resolve("crds"))
          : KubeApi.realApiServer(repoRoot.resolve("crds"), dir.resolve("kubeconfig"));
      nodeA = new E2eNode("a", daemonA, false);
      nodeB = new E2eNode("b", daemonB, true);
      nodeA.connect();
      nodeB.connect();
      both(() -> startAgent(nodeA), () -> startAgent(nodeB));
      cluster = new E2eCluster(api, nodeA, nodeB);
      banner("nodes a and b up with their agents in " + Duration.between(started, Instant.now()).toSeconds()
          + " s (kernel " + image.kernelVersion() + "); API: " + api.describe() + "; working directory " + dir);
    }

    /** A start-up step that may fail. */
    private interface Step {
      void run() throws Exception;
    }

    /** Runs two start-up steps at once (each node's daemon, each node's agent); rethrows the first failure. */
    private static void both(Step a, Step b) throws Exception {
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> unchecked(a));
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> unchecked(b));
      try {
        first.join();
        second.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() instanceof StepFailed failed ? failed.getCause() : e.getCause();
        throw cause instanceof Exception exception ? exception : e;
      }
    }

    private static void unchecked(Step step) {
      try {
        step.run();
      } catch (Exception e) {
        throw new StepFailed(e);
      }
    }

    /** Carries a step's checked exception through the future. */
    private static final class StepFailed extends RuntimeException {
      StepFailed(Exception cause) {
        super(cause);
      }
    }

    private void startAgent(E2eNode node) throws IOException, InterruptedException {
      node.agent = AgentProcess.start(jar, node, api, agentLog(node.name));
    }

    Path agentLog(String node) {
      return agentLogs.resolve("e2e-agent-" + node + ".log");
    }

    private void startDaemon(LibvirtDaemon daemon) throws IOException, InterruptedException {
      daemon.start();
      daemon.virsh("pool-define-as", E2eNode.POOL, "dir", "--target", pool.toString()).orThrow();
      daemon.virsh("pool-start", E2eNode.POOL).orThrow();
    }

    /** Creates an empty raw disk volume in the shared pool and tells both nodes about it. */
    void createDisk(String volume) {
      try (RandomAccessFile file = new RandomAccessFile(pool.resolve(volume).toFile(), "rw")) {
        file.setLength(DISK_BYTES);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (LibvirtDaemon daemon : List.of(daemonA, daemonB)) {
        daemon.virsh("pool-refresh", E2eNode.POOL).orThrow();
      }
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      // Agents first (so none reacts to what the cleanup does), then domains and daemons, then the API.
      for (AutoCloseable resource : new AutoCloseable[] {nodeA, nodeB, daemonA, daemonB, api}) {
        try {
          if (resource != null) {
            resource.close();
          }
        } catch (Exception e) {
          System.out.println("vguest e2e: cleanup of " + resource + " failed: " + e.getMessage());
        }
      }
      if (hook != null && Thread.currentThread() != hook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
          // already shutting down
        }
      }
      if (skipReason != null) {
        return;
      }
      long seconds = Duration.between(started, Instant.now()).toSeconds();
      if (failed) {
        banner("FAILED after " + seconds + " s; kept for inspection:\n"
            + "  guest consoles:   " + dir.resolve("nodes/{a,b}/console") + "\n"
            + "  libvirtd logs:    " + dir.resolve("nodes/{a,b}/log/libvirtd.log") + "\n"
            + "  QEMU logs:        " + dir.resolve("nodes/{a,b}/log/qemu") + "\n"
            + "  agent logs:       " + agentLogs.resolve("e2e-agent-{a,b}.log"));
      } else {
        LibvirtDaemon.deleteTree(dir);
        banner("passed in " + seconds + " s; agents and daemons stopped, domains and files removed (cache kept in "
            + cache + "; agent logs in " + agentLogs.resolve("e2e-agent-{a,b}.log") + ")");
      }
    }
  }

  static void banner(String message) {
    System.out.println("\n=== vguest e2e: " + message + "\n");
    System.out.flush();
  }
}
