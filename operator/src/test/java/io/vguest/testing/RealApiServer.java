package io.vguest.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real kube-apiserver with etcd (fabric8's kube-api-test) per test JVM, shared by every test
 * class that asks for it: starting one costs 4 to 7 s, so it is started once, on first use, and
 * stopped when the JVM's tests are done. vguest's CRDs from {@code crds/} are installed and
 * established before anyone gets a client. Tests share the server, so each works in namespaces of
 * its own ({@link #newNamespace}).
 *
 * <p>Where the binaries come from, first match wins: {@code KUBE_API_TEST_DIR} (a directory with the
 * archive {@value #ARCHIVE} or with {@code k8s/<version>-linux-amd64/} already unpacked), the
 * repository's {@code ../shared/kube-api-test/}, else kube-api-test downloads them. An archive is
 * unpacked once into {@code target/kube-api-test/} of the repository root (the shared directory may
 * be read-only). When binaries are present and the server does not start, {@link #shared()} throws:
 * the tests fail, they never skip.
 */
public final class RealApiServer {

  /** The Kubernetes version of the server, as kube-api-test names it (no leading {@code v}). */
  public static final String VERSION = "1.32.6";
  static final String ARCHIVE = "k8s-" + VERSION + "-linux-amd64.tar.xz";
  private static final String BINARIES = "k8s/" + VERSION + "-linux-amd64";

  private static RealApiServer shared;
  private static RuntimeException failedStart;

  private final KubeAPIServer server;
  private final Config adminConfig;
  private final KubernetesClient client;
  private final String version;
  private final Path directory;
  private final AtomicInteger namespaces = new AtomicInteger();

  private RealApiServer(KubeAPIServer server, Config adminConfig, String source, Path directory) {
    this.server = server;
    this.directory = directory;
    this.adminConfig = adminConfig;
    this.client = new KubernetesClientBuilder().withConfig(adminConfig).build();
    this.version = client.getKubernetesVersion().getGitVersion();
    System.out.println("real API server: kube-apiserver " + version + " at " + adminConfig.getMasterUrl()
        + " (binaries: " + source + ")");
  }

  /** The server of this JVM, started (and its CRDs installed) on first use. */
  public static synchronized RealApiServer shared() {
    if (failedStart != null) {
      throw failedStart; // one attempt per JVM: every later test class fails the same way, quickly
    }
    if (shared == null) {
      try {
        shared = start();
      } catch (RuntimeException e) {
        failedStart = new IllegalStateException("the real API server (kube-apiserver " + VERSION
            + ") did not start: " + e.getMessage(), e);
        throw failedStart;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(RealApiServer::stopShared, "real-api-server-stop"));
    }
    return shared;
  }

  private static RealApiServer start() {
    Path repoRoot = repoRoot();
    Path shared = repoRoot.resolve("target").resolve("kube-api-test");
    Optional<Path> binaries = findBinaries(repoRoot, shared);
    // The server writes its certificates into its directory: one directory per JVM, with the
    // binaries linked in, so two test JVMs never share certificates.
    Path dir;
    try {
      dir = Files.createDirectories(Path.of("target").toAbsolutePath()
          .resolve("kube-api-server-" + ProcessHandle.current().pid()));
      if (binaries.isPresent()) {
        Path link = dir.resolve(BINARIES);
        Files.createDirectories(link.getParent());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, binaries.get());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the API server's directory", e);
    }
    // Builder methods only: kube-api-test 7.5.2 crashes on its boolean/integer environment variables.
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(binaries.isPresent() ? dir.toString() : shared.toString())
        .withApiServerVersion(VERSION)
        .withOfflineMode(binaries.isPresent())
        .withUpdateKubeConfig(false)
        .withStartupTimeout(60_000)
        .build());
    server.start();
    Config config = new ConfigBuilder(Config.fromKubeconfig(server.getKubeConfigYaml()))
        .withRequestTimeout(30_000).build();
    RealApiServer started = new RealApiServer(server, config,
        binaries.map(Path::toString).orElse("downloaded by kube-api-test into " + shared),
        binaries.isPresent() ? dir : shared);
    started.installCrds(repoRoot.resolve("crds"));
    String kubeconfig = System.getProperty("vguest.realApi.kubeconfig");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      // For tools of the test JVM that read a kubeconfig (Helm's Java binding), as the build configures them.
      try {
        Files.writeString(Path.of(kubeconfig), server.getKubeConfigYaml());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + kubeconfig, e);
      }
    }
    return started;
  }

  /**
   * Whether the server's binaries are here (unpacked, or an archive to unpack): a suite that
   * cannot download them (the end-to-end suite) runs against a mock server otherwise, and says so.
   */
  public static boolean binariesFound() {
    Path repoRoot = repoRoot();
    return findBinaries(repoRoot, repoRoot.resolve("target").resolve("kube-api-test")).isPresent();
  }

  /** Unpacked binaries to use, unpacking an archive first when that is all there is; empty to download. */
  static Optional<Path> findBinaries(Path repoRoot, Path unpackInto) {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    List<Path> candidates = configured == null || configured.isBlank()
        ? List.of(repoRoot.resolve("../shared/kube-api-test").normalize())
        : List.of(Path.of(configured).toAbsolutePath(), repoRoot.resolve("../shared/kube-api-test").normalize());
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate.resolve(BINARIES).resolve("kube-apiserver"))) {
        return Optional.of(candidate.resolve(BINARIES));
      }
      if (Files.isRegularFile(candidate.resolve(ARCHIVE))) {
        return Optional.of(Unpacker.unpackOnce(candidate.resolve(ARCHIVE), unpackInto).resolve(BINARIES));
      }
    }
    if (Files.isExecutable(unpackInto.resolve(BINARIES).resolve("kube-apiserver"))) {
      return Optional.of(unpackInto.resolve(BINARIES)); // unpacked or downloaded by an earlier run
    }
    return Optional.empty();
  }

  static Path repoRoot() {
    String configured = System.getProperty("vguest.repoRoot");
    return Path.of(configured != null && !configured.isBlank() ? configured : "..").toAbsolutePath().normalize();
  }

  /** Installs (or updates) the CRDs of a directory and waits until the server serves them. */
  public void installCrds(Path crdDir) {
    try (var files = Files.list(crdDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        CustomResourceDefinition crd;
        try (InputStream in = Files.newInputStream(file)) {
          crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        }
        client.resource(crd).forceConflicts().serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                && c.getStatus().getConditions().stream()
                    .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                30, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs in " + crdDir, e);
    }
  }

  /** A client with cluster-admin rights, shared; do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /** A new cluster-admin client, for a component that closes its own client (an agent); close it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig).build();
  }

  /** The server's URL and CA with a bearer token instead of the admin's certificate (RBAC tests). */
  public Config configWithToken(String token) {
    return new ConfigBuilder(adminConfig).withClientCertData(null).withClientKeyData(null)
        .withClientCertFile(null).withClientKeyFile(null).withOauthToken(token).build();
  }

  /** The admin's configuration (URL, CA, client certificate), to build clients with their own options. */
  public Config adminConfig() {
    return new ConfigBuilder(adminConfig).build();
  }

  /** A kubeconfig for the admin, for processes started by tests (kubectl, an agent process). */
  public String kubeconfigYaml() {
    return server.getKubeConfigYaml();
  }

  /** The server's {@code kubectl} (same version as the server). */
  public Path kubectl() {
    return directory.resolve(BINARIES).resolve("kubectl");
  }

  /** The admin's kubeconfig as a file, for {@code kubectl --kubeconfig} and other processes. */
  public synchronized Path kubeconfigFile() {
    Path file = directory.resolve("admin.kubeconfig");
    try {
      if (!Files.exists(file)) {
        Files.writeString(file, server.getKubeConfigYaml());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** The server's version as it reports it, e.g. {@code v1.32.6}. */
  public String version() {
    return version;
  }

  /** Creates a namespace with a name no other test of this JVM uses: {@code <prefix>-<n>}. */
  public String newNamespace(String prefix) {
    String name = prefix + "-" + namespaces.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  private static synchronized void stopShared() {
    if (shared != null) {
      shared.client.close();
      shared.server.stop();
      shared = null;
    }
  }
}
