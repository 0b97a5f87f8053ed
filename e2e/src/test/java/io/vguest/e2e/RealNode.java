package io.vguest.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real single-node Kubernetes cluster on this machine for the install tier: etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler and kubelet from the Kubernetes archive
 * (unpacked once into the build directory), Debian's containerd, runc and CNI plugins, all on
 * 127.0.0.1 with their state under one directory. {@code src/test/install/real-node.sh} starts and
 * stops the processes; this class finds the pieces, picks free ports and runs kubectl.
 */
final class RealNode implements AutoCloseable {

  static final String VERSION = "1.32.6";
  /**
   * The node's name, which is also how the API server reaches its kubelet (for `kubectl logs`):
   * localhost resolves to loopback everywhere, so no /etc/hosts line is needed.
   */
  static final String NODE_NAME = "localhost";
  /** The host bridge the Windows example's NIC names; real-node.sh creates it when missing. */
  static final String BRIDGE = "br0";
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);

  final Path dir;
  final Path bin;
  final Path kubeconfig;
  final int apiPort;
  private final Path script;
  private boolean up;

  private RealNode(Path dir, Path bin, Path script, int apiPort) {
    this.dir = dir;
    this.bin = bin;
    this.script = script;
    this.apiPort = apiPort;
    this.kubeconfig = dir.resolve("admin.kubeconfig");
  }

  /** The Kubernetes archive: VGUEST_K8S_ARCHIVE, else the shared one next to the repository. */
  static Path archive(Path repoRoot) {
    String configured = System.getenv("VGUEST_K8S_ARCHIVE");
    return configured != null && !configured.isBlank() ? Path.of(configured)
        : repoRoot.resolveSibling("shared").resolve("kube-api-test").resolve("k8s-" + VERSION + "-linux-amd64.tar.xz");
  }

  /** Why a real node cannot run here, or empty when it can (the e2e prerequisites are checked apart). */
  static Optional<String> missing(Path repoRoot) {
    List<String> absent = new ArrayList<>();
    for (String command : List.of("containerd", "containerd-shim-runc-v2", "ctr", "runc", "gcc", "openssl", "tar",
        "xz", "ip")) {
      if (!Commands.onPath(command)) {
        absent.add(command);
      }
    }
    if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
      absent.add("/usr/lib/cni/bridge");
    }
    if (!absent.isEmpty()) {
      return Optional.of("not found: " + String.join(", ", absent) + " (Debian packages containerd, runc, "
          + "containernetworking-plugins, gcc, libc6-dev, openssl, xz-utils, iproute2; bin/test installs them as root)");
    }
    if (!Files.isRegularFile(archive(repoRoot))) {
      return Optional.of("the Kubernetes binaries " + archive(repoRoot) + " are missing (set VGUEST_K8S_ARCHIVE to "
          + "an archive holding k8s/" + VERSION + "-linux-amd64/{kube-apiserver,etcd,kubectl,kubelet,"
          + "kube-controller-manager,kube-scheduler})");
    }
    return Optional.empty();
  }

  /** Unpacks the binaries (once) and starts the node; it is Ready when this returns. */
  static RealNode start(Path repoRoot, Path work) throws IOException {
    Path unpacked = work.resolve("k8s-bin");
    Path bin = unpacked.resolve("k8s").resolve(VERSION + "-linux-amd64");
    if (!Files.isExecutable(bin.resolve("kubelet"))) {
      Files.createDirectories(unpacked);
      Commands.run(Duration.ofMinutes(5), "tar", "-xJf", archive(repoRoot).toString(), "-C", unpacked.toString())
          .orThrow();
    }
    Path script = repoRoot.resolve("e2e/src/test/install/real-node.sh");
    RealNode node = new RealNode(work.resolve("node"), bin, script, freePort());
    node.up = true;
    node.run(UP_TIMEOUT, "up").orThrow();
    return node;
  }

  /** Imports docker-archive image tars into the node's containerd (namespace k8s.io). */
  void importImage(Path tar) {
    run(Duration.ofMinutes(5), "import", tar.toString()).orThrow();
  }

  /** Tags an imported image with another name (a new tag for an upgrade, without a registry). */
  void tagImage(String source, String target) {
    Commands.run(Duration.ofMinutes(1), "ctr", "--address", dir.resolve("containerd/containerd.sock").toString(),
        "-n", "k8s.io", "images", "tag", "--force", source, target).orThrow();
  }

  /** Runs kubectl against the node's API server as its admin. */
  Commands.Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(bin.resolve("kubectl").toString(), "--kubeconfig",
        kubeconfig.toString()));
    command.addAll(List.of(args));
    return Commands.run(Duration.ofMinutes(3), command.toArray(String[]::new));
  }

  /** The end of a node process's log (etcd, kube-apiserver, containerd, kubelet, ...). */
  String logTail(String process) {
    return LibvirtDaemon.tail(dir.resolve("logs").resolve(process + ".log"), 30);
  }

  private Commands.Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "K8S_BIN=" + bin, "NODE_NAME=" + NODE_NAME, "BRIDGE=" + BRIDGE,
        "API_PORT=" + apiPort, "ETCD_PORT=" + freePortOrZero(), "ETCD_PEER_PORT=" + freePortOrZero(),
        "KUBELET_PORT=" + freePortOrZero(), script.toString(), args[0], dir.toString()));
    command.addAll(List.of(args).subList(1, args.length));
    return Commands.run(timeout, command.toArray(String[]::new));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int freePortOrZero() {
    try {
      return freePort();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Stops every process of the node and removes what it left on the host (see real-node.sh). */
  @Override
  public void close() {
    if (up) {
      up = false;
      Commands.Result down = run(Duration.ofMinutes(3), "down");
      if (!down.ok()) {
        System.err.println("real node: down failed: " + down.output());
      }
    }
  }
}
