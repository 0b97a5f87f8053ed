package io.vguest.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node agent as the DaemonSet runs it: {@code vguest operator} from the operator's jar, a
 * process of its own, connected to its node's libvirt daemon and to the API through a kubeconfig.
 * Its output goes to its own log file; its pid to a file, so that a run that died without cleaning
 * up can end it the next time.
 */
final class AgentProcess implements AutoCloseable {

  /** How long an agent may take to start: its JVM, the first libvirt connection and the watches' sync. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  /** What the agent logs after every libvirt reconnect, before it resyncs its guests. */
  static final String RECONNECTED = "libvirt connection is back; resyncing";

  final String node;
  final Path log;
  private final Path pidFile;
  private final int httpPort;
  private final Process process;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AgentProcess(String node, Path log, Path pidFile, int httpPort, Process process) {
    this.node = node;
    this.log = log;
    this.pidFile = pidFile;
    this.httpPort = httpPort;
    this.process = process;
  }

  /** The command line of a node's agent; every setting is a flag, so nothing comes from the environment. */
  static List<String> command(Path jar, E2eNode node, String namespace, String watchFilter, int httpPort) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", jar.toString(), "operator",
        "--node-name", node.name,
        "--libvirt", node.daemon.uri(),
        "--virt-type", "qemu",
        "--allowed-pools", E2eNode.POOL,
        "--identity-seed", E2eEnvironment.SEED,
        "--host-serial-source", "os",
        "--machine-id", node.machineIdFile.toString(),
        "--expose-chassis-serial", Boolean.toString(node.exposeChassisSerial),
        "--console-log-dir", node.consoleDir.toString(),
        // the node's /var/lib/libvirt/swtpm, as the agent (outside the daemon's mount namespace) sees it
        "--swtpm-state-dir", node.daemon.dir.resolve("lib/swtpm").toString(),
        "--lease-namespace", namespace,
        "--watch-filter", watchFilter,
        "--shutdown-grace", E2eNode.SHUTDOWN_GRACE.toSeconds() + "s",
        "--http-port", Integer.toString(httpPort));
  }

  /** Starts a node's agent and waits until it is ready (watches synced, libvirt connected). */
  static AgentProcess start(Path jar, E2eNode node, KubeApi api, Path log) throws IOException, InterruptedException {
    int port = freePort();
    Files.deleteIfExists(log);
    ProcessBuilder builder = new ProcessBuilder(command(jar, node, api.namespace, api.watchFilter(), port))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("VGUEST_") || k.equals("NODE_NAME") || k.equals("POD_NAMESPACE"));
    env.put("KUBECONFIG", api.kubeconfig.toString());
    Process process = builder.start();
    Path pidFile = node.daemon.dir.resolve("agent.pid");
    Files.writeString(pidFile, process.pid() + "\n");
    AgentProcess agent = new AgentProcess(node.name, log, pidFile, port, process);
    try {
      agent.awaitReady();
    } catch (IOException | RuntimeException | InterruptedException e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  private void awaitReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      assertAlive();
      try {
        HttpResponse<String> ready = get("/readyz");
        if (ready.statusCode() == 200) {
          return;
        }
        last = ready.statusCode() + " " + ready.body().strip();
      } catch (IOException notListening) {
        last = notListening.toString();
      }
      Thread.sleep(250);
    }
    throw new IOException("the agent of node " + node + " is not ready after " + READY_TIMEOUT + " (/readyz: " + last
        + "); its log " + log + ":\n" + tail());
  }

  /** Fails with the log's end when the agent has exited. */
  void assertAlive() {
    if (!process.isAlive()) {
      throw new AssertionError("the agent of node " + node + " exited with " + process.exitValue() + "; its log "
          + log + ":\n" + tail());
    }
  }

  /** How many times the agent logged a libvirt reconnect followed by a resync of its guests. */
  long reconnects() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(RECONNECTED)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sum of a counter over the series whose labels contain the given text, from /metrics. */
  double counter(String name, String labels) {
    try {
      return counter(get("/metrics").body(), name, labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reads a counter from the Prometheus text format. */
  static double counter(String exposition, String name, String labels) {
    double sum = 0;
    for (String line : exposition.lines().toList()) {
      if (line.startsWith(name + "{") && line.contains(labels)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  String tail() {
    return LibvirtDaemon.tail(log, 40);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops the agent as Kubernetes does (SIGTERM, then SIGKILL); the guests keep running. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(pidFile);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // the pid file is gone with the directory
    }
  }

  @Override
  public String toString() {
    return "agent of node " + node + " (pid " + process.pid() + ", log " + log + ")";
  }
}
