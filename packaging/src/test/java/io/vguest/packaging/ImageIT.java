package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unpacks the image tar Jib wrote and runs {@code vguest} inside it, under {@code chroot}, as the
 * image's configured user with the image's environment: proof that the Java runtime, the base
 * libraries and libvirt (loaded through JNA) work together. Running needs root (for chroot);
 * without it those tests are skipped and only the image's configuration is checked.
 */
class ImageIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode config;
  private static Path rootfs;

  @BeforeAll
  static void unpack() throws IOException {
    Path tar = Path.of(System.getProperty("vguest.imageTar", "target/vguest-image.tar"));
    assertTrue(Files.isRegularFile(tar), "image tar " + tar + " missing: the package phase builds it");
    Path work = Path.of(System.getProperty("vguest.imageWorkDir", "target/image")).resolve("unpacked");
    deleteTree(work);
    Path blobs = Files.createDirectories(work.resolve("blobs"));
    rootfs = Files.createDirectories(work.resolve("rootfs"));

    // The tar is in `docker save` layout: manifest.json, config.json and one .tar.gz per layer.
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isFile()) {
          Files.copy(in, blobs.resolve(Path.of(e.getName()).getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    JsonNode manifest = JSON.readTree(blobs.resolve("manifest.json").toFile()).get(0);
    config = JSON.readTree(blobs.resolve(manifest.get("Config").asText()).toFile()).get("config");
    for (JsonNode layer : manifest.get("Layers")) {
      extractLayer(blobs.resolve(layer.asText()), rootfs);
    }
  }

  @Test
  void configRunsVguestAsUnprivilegedUser() {
    assertEquals("65532:65532", config.get("User").asText());
    List<String> entrypoint = strings(config.get("Entrypoint"));
    assertEquals("io.vguest.cli.Main", entrypoint.get(entrypoint.size() - 1), "entrypoint " + entrypoint);
    Path java = rootfs.resolve(entrypoint.get(0).substring(1));
    assertTrue(Files.isExecutable(java), entrypoint.get(0) + " missing or not executable in the image");
    assertEquals("/opt/java/lib", env().get("LD_LIBRARY_PATH"));
  }

  @Test
  void baseHasLibvirtAndTheLoader() throws IOException {
    assertTrue(Files.isRegularFile(rootfs.resolve("usr/lib/x86_64-linux-gnu/libvirt.so.0"))
        || Files.isRegularFile(rootfs.resolve("usr/lib/aarch64-linux-gnu/libvirt.so.0")), "libvirt.so.0 missing");
    String packages = Files.readString(rootfs.resolve("usr/share/doc/vguest-base/packages.txt"));
    assertTrue(packages.contains("libvirt0 "), packages);
    try (Stream<Path> files = Files.walk(rootfs)) {
      assertTrue(files.noneMatch(Files::isSymbolicLink), "the image should hold files, not links");
    }
  }

  @Test
  void versionRunsInsideTheImage() throws Exception {
    Result r = runInImage(List.of("--version"));
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.matches("(?s)vguest \\S+\\s*"), r.output);
  }

  @Test
  void libvirtLoadsInsideTheImage() throws Exception {
    Path examples = Files.createDirectories(rootfs.resolve("tmp/examples"));
    for (String name : List.of("linux-guest.yaml", "linux-profile.yaml")) {
      Files.copy(Repo.root().resolve("examples").resolve(name), examples.resolve(name),
          StandardCopyOption.REPLACE_EXISTING);
    }
    // libvirt's in-process test driver: loads libvirt.so.0 and all its libraries, needs no daemon.
    Result r = runInImage(List.of("render", "-f", "/tmp/examples/linux-guest.yaml",
        "-f", "/tmp/examples/linux-profile.yaml", "--libvirt", "test:///default",
        "--machine-id", "/tmp/examples/no-machine-id"));
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("<domain type='qemu'"), r.output);
  }

  /**
   * The node's socket directory appears in the container where the chart and deploy/ mount it; the
   * image's libvirt client, with the default URI qemu:///system, must connect to the socket there.
   * A listening socket stands in for libvirtd: the client reaching it is the proof (it then fails
   * the handshake, which is expected).
   */
  @Test
  void libvirtClientFindsTheSocketWhereTheManifestsMountIt() throws Exception {
    // The chart mounts them at LIBVIRT_SOCKET_MOUNT (HelmChartTest) and deploy/ is the chart's
    // defaults (KustomizeBaseTest); read deploy/ here, where no API server for Helm is at hand.
    String fromDeploy = libvirtSocketMount(Manifests.parse(Files.readString(Repo.deploy().resolve("daemonset.yaml")))
        .one(DaemonSet.class));
    assertEquals(Manifests.LIBVIRT_SOCKET_MOUNT, fromDeploy, "deploy/daemonset.yaml's mount of the libvirt sockets");
    String fromChart = fromDeploy;
    assumeTrue(isRoot(), "running the image needs root (chroot); run the build as root to include this test");

    Path dir = Files.createDirectories(rootfs.resolve(fromChart.substring(1)));
    Path socket = dir.resolve("libvirt-sock");
    Files.deleteIfExists(socket);
    // A relative address keeps the path under the 108 bytes a socket address may have.
    Path address = Path.of("").toAbsolutePath().relativize(socket.toAbsolutePath());
    CompletableFuture<Boolean> reached = new CompletableFuture<>();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(address));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
      Thread acceptor = new Thread(() -> {
        try (SocketChannel client = server.accept()) {
          reached.complete(true);
        } catch (IOException e) {
          reached.complete(false);
        }
      }, "fake-libvirtd");
      acceptor.setDaemon(true);
      acceptor.start();
      Result r = runInImage(List.of("render", "-f", "/tmp/examples/linux-guest.yaml", "-f",
          "/tmp/examples/linux-profile.yaml", "--libvirt", "qemu:///system", "--machine-id",
          "/tmp/examples/no-machine-id"), "linux-guest.yaml", "linux-profile.yaml");
      assertTrue(reached.completeOnTimeout(false, 5, TimeUnit.SECONDS).get(), "the image's libvirt client did not connect to " + fromChart
          + "/libvirt-sock with the default URI: " + r.output);
    } finally {
      Files.deleteIfExists(socket);
    }
  }

  private static String libvirtSocketMount(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getName().equals("libvirt-sockets")).findFirst().orElseThrow().getMountPath();
  }

  private record Result(int exit, String output) {}

  private static Result runInImage(List<String> args, String... examples) throws Exception {
    Path dir = Files.createDirectories(rootfs.resolve("tmp/examples"));
    for (String name : examples) {
      Files.copy(Repo.root().resolve("examples").resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    return runInImage(args);
  }

  private static Result runInImage(List<String> args) throws Exception {
    assumeTrue(isRoot(), "running the image needs root (chroot); run the build as root to include this test");
    provideRandomDevices();
    List<String> command = new ArrayList<>(List.of(tool("chroot"), "--userspec=" + config.get("User").asText(),
        rootfs.toString()));
    command.addAll(strings(config.get("Entrypoint")));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "vguest did not finish inside the image");
    // chroot exits 125 when it may not change the root (root without CAP_SYS_CHROOT, in some containers)
    assumeTrue(!(p.exitValue() == 125 && out.contains("cannot change root directory")),
        "chroot is not permitted here (" + out.strip() + "); the image was not run");
    return new Result(p.exitValue(), out);
  }

  /**
   * A container runtime provides /dev; a bare chroot does not. Without /dev/urandom Java seeds its
   * random generator the slow way, which works but takes seconds: create the two devices if allowed.
   */
  private static void provideRandomDevices() throws Exception {
    Path dev = Files.createDirectories(rootfs.resolve("dev"));
    for (String[] d : new String[][] {{"random", "8"}, {"urandom", "9"}}) {
      if (!Files.exists(dev.resolve(d[0]))) {
        new ProcessBuilder(tool("mknod"), "-m", "666", dev.resolve(d[0]).toString(), "c", "1", d[1])
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      }
    }
  }

  /** A coreutils program, also when the test's PATH lacks the sbin directories. */
  private static String tool(String name) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return dir + "/" + name;
      }
    }
    return name;
  }

  private static boolean isRoot() throws Exception {
    Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return p.waitFor() == 0 && uid.equals("0");
  }

  private static Map<String, String> env() {
    Map<String, String> env = new TreeMap<>();
    for (String kv : strings(config.get("Env"))) {
      int eq = kv.indexOf('=');
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return env;
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static void extractLayer(Path layer, Path root) throws IOException {
    try (InputStream gz = new GzipCompressorInputStream(Files.newInputStream(layer));
        TarArchiveInputStream in = new TarArchiveInputStream(gz)) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("layer entry outside the root: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
          continue;
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
          continue;
        }
        Files.setPosixFilePermissions(target, permissions(e.getMode()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
