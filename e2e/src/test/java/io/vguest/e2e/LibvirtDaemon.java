package io.vguest.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One node's libvirt daemon, independent of every other daemon on the host: it runs in a private
 * mount namespace in which libvirt's directories ({@code /etc/libvirt}, {@code /run/libvirt},
 * {@code /var/lib/libvirt}, {@code /var/cache/libvirt}, {@code /var/log/libvirt}) are this node's
 * own directories under {@link #dir}. So it has its own config, socket, pid file, domains, QEMU
 * state and logs, listens on no TCP port, and leaves the host's libvirt (and other daemons) alone.
 * The QEMU driver runs guests as root without a security driver and writes QEMU's output to
 * files, so neither systemd nor virtlogd is needed.
 */
final class LibvirtDaemon implements AutoCloseable {

  static final int MAX_SOCKET_PATH = 107;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration VIRSH_TIMEOUT = Duration.ofSeconds(60);

  final String node;
  final Path dir;
  private final Path capabilitiesCache;
  private final Path socketDir;
  private Process process;

  /**
   * @param dir this node's directory (created; removed by the caller)
   * @param capabilitiesCache where the daemon caches QEMU's capabilities; kept between runs so that
   *     a start takes a fraction of a second instead of probing QEMU again
   */
  LibvirtDaemon(String node, Path dir, Path capabilitiesCache) {
    this.node = node;
    this.dir = dir.toAbsolutePath();
    this.capabilitiesCache = capabilitiesCache.toAbsolutePath();
    Path socketDir = this.dir.resolve("run");
    if (socketDir.resolve("libvirt-sock").toString().length() > MAX_SOCKET_PATH) {
      socketDir = Path.of("/tmp", "vguest-e2e-" + ProcessHandle.current().pid() + "-" + node);
    }
    this.socketDir = socketDir;
  }

  /** The host directory holding this node's libvirt-sock (what a node's /run/libvirt would be). */
  Path socketDir() {
    return socketDir;
  }

  /** The URI clients of this node use. */
  String uri() {
    return "qemu:///system?socket=" + socketDir.resolve("libvirt-sock");
  }

  Path logFile() {
    return dir.resolve("log/libvirtd.log");
  }

  Path qemuLogDir() {
    return dir.resolve("log/qemu");
  }

  synchronized void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return;
    }
    for (String sub : List.of("etc", "run", "lib", "log")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Files.createDirectories(capabilitiesCache);
    Files.createDirectories(socketDir);
    Files.deleteIfExists(socketDir.resolve("libvirt-sock"));
    Files.writeString(dir.resolve("etc/libvirtd.conf"), String.join("\n",
        "# libvirtd of e2e node " + node + ": unix socket only, no authentication inside the test machine",
        "listen_tls = 0",
        "listen_tcp = 0",
        "unix_sock_dir = \"" + socketDir + "\"",
        "unix_sock_group = \"root\"",
        "unix_sock_ro_perms = \"0700\"",
        "unix_sock_rw_perms = \"0700\"",
        "auth_unix_ro = \"none\"",
        "auth_unix_rw = \"none\"",
        "log_outputs = \"3:file:/var/log/libvirt/libvirtd.log\"",
        ""));
    Files.writeString(dir.resolve("etc/qemu.conf"), String.join("\n",
        "# QEMU driver of e2e node " + node + ": guests run as root, no security driver, output to files",
        "user = \"root\"",
        "group = \"root\"",
        "dynamic_ownership = 0",
        "security_driver = \"none\"",
        "stdio_handler = \"file\"",
        ""));
    StringBuilder script = new StringBuilder("set -e\n");
    for (String mountPoint : List.of("/etc/libvirt", "/run/libvirt", "/var/lib/libvirt", "/var/cache/libvirt",
        "/var/log/libvirt")) {
      script.append("mkdir -p ").append(mountPoint).append('\n');
    }
    bind(script, dir.resolve("etc"), "/etc/libvirt");
    bind(script, dir.resolve("run"), "/run/libvirt");
    bind(script, dir.resolve("lib"), "/var/lib/libvirt");
    bind(script, capabilitiesCache, "/var/cache/libvirt");
    bind(script, dir.resolve("log"), "/var/log/libvirt");
    if (!userExists("libvirt-qemu")) {
      // The QEMU driver looks up its default user before it reads qemu.conf. Rather than adding a
      // user to the host, this namespace sees copies of passwd and group that have it.
      Files.writeString(dir.resolve("passwd"), Files.readString(Path.of("/etc/passwd"))
          + "libvirt-qemu:x:64055:64055:libvirt qemu (e2e):/var/lib/libvirt:/usr/sbin/nologin\n");
      Files.writeString(dir.resolve("group"), Files.readString(Path.of("/etc/group")) + "libvirt-qemu:x:64055:\n");
      bind(script, dir.resolve("passwd"), "/etc/passwd");
      bind(script, dir.resolve("group"), "/etc/group");
    }
    script.append("exec ").append(quote(Commands.which("libvirtd"))).append(" --config ")
        .append(quote(dir.resolve("etc/libvirtd.conf").toString())).append(" --pid-file ")
        .append(quote(dir.resolve("libvirtd.pid").toString())).append('\n');
    Files.writeString(dir.resolve("start.sh"), script.toString());
    process = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", dir.resolve("start.sh")
        .toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.out").toFile()))
        .start();
    awaitReady();
  }

  private void awaitReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    Commands.Result last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("libvirtd of node " + node + " exited with " + process.exitValue() + ": "
            + tail(dir.resolve("daemon.out"), 20) + tail(logFile(), 20));
      }
      if (Files.exists(socketDir.resolve("libvirt-sock"))) {
        last = virsh("version");
        if (last.ok()) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new IOException("libvirtd of node " + node + " not ready after " + READY_TIMEOUT + ": "
        + (last == null ? "no socket" : last.output()) + tail(logFile(), 20));
  }

  /** Runs virsh against this node. */
  Commands.Result virsh(String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "virsh";
    command[1] = "-c";
    command[2] = uri();
    System.arraycopy(args, 0, command, 3, args.length);
    return Commands.run(VIRSH_TIMEOUT, command);
  }

  /** Names of every domain of this node, running or not. */
  List<String> domains() {
    return virsh("list", "--all", "--name").orThrow().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** Forces off and undefines every domain of this node (never a volume). */
  void removeAllDomains() {
    if (process == null || !process.isAlive()) {
      return;
    }
    Commands.Result list = virsh("list", "--all", "--name");
    if (!list.ok()) {
      return;
    }
    for (String domain : list.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      virsh("destroy", domain);
      virsh("undefine", domain, "--nvram");
    }
  }

  /** Stops the daemon (domains keep running: call {@link #removeAllDomains()} first to end them). */
  synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** Stops and starts the daemon; running guests keep running and are found again. */
  void restart() throws IOException, InterruptedException {
    stop();
    start();
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /** Removes every domain, then stops the daemon. */
  @Override
  public void close() {
    try {
      removeAllDomains();
      stop();
      if (!socketDir.startsWith(dir)) {
        deleteTree(socketDir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Ends what an earlier run that died without cleaning up left in {@code dir}: the node's agent,
   * its libvirtd and the QEMU processes that daemon started, each found by its pid file and checked
   * by its command line before it is ended.
   */
  static void endLeftovers(Path dir) {
    endIf(dir.resolve("agent.pid"), "vguest.jar operator");
    Path qemuPids = dir.resolve("run/qemu");
    if (Files.isDirectory(qemuPids)) {
      try (Stream<Path> files = Files.list(qemuPids)) {
        files.filter(p -> p.toString().endsWith(".pid")).forEach(p -> endIf(p, "qemu-system"));
      } catch (IOException ignored) {
        // nothing to end
      }
    }
    endIf(dir.resolve("libvirtd.pid"), dir.toString());
  }

  private static void endIf(Path pidFile, String commandLineMustContain) {
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty()) {
        return;
      }
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ');
      if (cmdline.contains(commandLineMustContain)) {
        handle.get().destroyForcibly();
        handle.get().onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception ignored) {
      // no such process, or not one of ours
    }
  }

  static boolean userExists(String user) throws IOException {
    return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }

  private static void bind(StringBuilder script, Path source, String target) {
    script.append("mount --bind ").append(quote(source.toString())).append(' ').append(quote(target)).append('\n');
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** The last lines of a file, headed by its name; empty when it cannot be read. */
  static String tail(Path file, int count) {
    try {
      List<String> lines = Files.readAllLines(file);
      return "\n" + file + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - count),
          lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "node " + node + " (" + uri() + ")";
  }
}
