package io.vguest.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The guest the suite boots: Debian's kernel and an initramfs of Debian's static busybox, the
 * kernel modules for every bus and NIC the scenarios use, and an init that reports what the guest
 * sees. Fetched with {@code apt-get download} and unpacked with {@code dpkg-deb -x} into the cache
 * directory (nothing is installed on the host); rebuilt only when the init, the module list or a
 * package changes. The cache keeps the two .deb files, the kernel and the initramfs.
 *
 * @param kernel the kernel image (vmlinuz)
 * @param initramfs the gzip-compressed initramfs
 */
record GuestImage(Path kernel, Path initramfs, String kernelVersion) {

  static final String KERNEL_METAPACKAGE = "linux-image-amd64";
  static final String BUSYBOX_PACKAGE = "busybox-static";
  private static final Duration APT_TIMEOUT = Duration.ofMinutes(10);

  /** Builds the guest in {@code cache}, reusing what an earlier run left there. */
  static GuestImage build(Path cache) throws IOException {
    Path debs = Files.createDirectories(cache.resolve("debs"));
    Path kernelDeb;
    try {
      kernelDeb = fetch(debs, kernelPackage(), "linux-image-");
    } catch (IOException | IllegalStateException e) {
      // no package lists or no network: an earlier download still does
      kernelDeb = find(debs, "linux-image-").orElseThrow(() -> e instanceof IOException io ? io
          : new IOException(e.getMessage(), e));
    }
    Path busyboxDeb = fetch(debs, BUSYBOX_PACKAGE, BUSYBOX_PACKAGE + "_");
    byte[] init = resource("guest/init");
    List<String> wanted = moduleList(new String(resource("guest/modules.txt"), StandardCharsets.UTF_8));
    String key = sha256(init, String.join(",", wanted).getBytes(StandardCharsets.UTF_8),
        kernelDeb.getFileName().toString().getBytes(StandardCharsets.UTF_8),
        busyboxDeb.getFileName().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    Path vmlinuz = cache.resolve("vmlinuz-" + key);
    Path initramfs = cache.resolve("initramfs-" + key + ".cpio.gz");
    Path versionFile = cache.resolve("kernel-version-" + key);
    if (!Files.exists(initramfs) || !Files.exists(vmlinuz) || !Files.exists(versionFile)) {
      // Unpacked only while the initramfs is built: the kernel's modules take some 400 MB.
      Path work = cache.resolve("unpacked");
      try {
        Path kernelTree = unpack(kernelDeb, work.resolve("kernel"));
        Path busyboxTree = unpack(busyboxDeb, work.resolve("busybox"));
        Path modulesRoot = only(kernelTree.resolve("lib/modules"), "kernel modules directory");
        String version = modulesRoot.getFileName().toString();
        Path unpackedKernel = kernelTree.resolve("boot/vmlinuz-" + version);
        if (!Files.isRegularFile(unpackedKernel)) {
          throw new IOException("no kernel image " + unpackedKernel + " in " + kernelDeb);
        }
        writeInitramfs(initramfs, init, wanted, new KernelModules(modulesRoot), busyboxTree.resolve("bin/busybox"));
        Files.copy(unpackedKernel, vmlinuz, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(versionFile, version);
      } finally {
        LibvirtDaemon.deleteTree(work);
      }
    }
    String version = Files.readString(versionFile).strip();
    return new GuestImage(vmlinuz, initramfs, version);
  }

  private static void writeInitramfs(Path target, byte[] init, List<String> wanted, KernelModules modules,
      Path busybox) throws IOException {
    Cpio cpio = new Cpio();
    for (String dir : List.of("bin", "dev", "proc", "sys", "lib/modules")) {
      cpio.directory(dir);
    }
    cpio.charDevice("dev/console", 0600, 5, 1);
    cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
    cpio.symlink("bin/sh", "busybox");
    cpio.file("init", 0755, init);
    List<String> order = new ArrayList<>();
    for (String module : modules.loadOrder(wanted)) {
      Path relative = modules.relativeFile(module);
      cpio.file("lib/modules/" + relative, 0644, Files.readAllBytes(modules.file(module)));
      order.add(relative.toString());
    }
    cpio.file("lib/modules/load-order", 0644, (String.join("\n", order) + "\n").getBytes(StandardCharsets.UTF_8));
    Path partial = Files.createTempFile(target.getParent(), "initramfs", ".partial");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(partial))) {
      cpio.writeTo(out);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static List<String> moduleList(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  /** The versioned kernel package the metapackage points at, e.g. linux-image-6.1.0-26-amd64. */
  private static String kernelPackage() throws IOException {
    Commands.Result depends = Commands.run(Duration.ofMinutes(1), "apt-cache", "depends", KERNEL_METAPACKAGE);
    if (!depends.ok() && isRoot()) {
      aptUpdate();
      depends = Commands.run(Duration.ofMinutes(1), "apt-cache", "depends", KERNEL_METAPACKAGE);
    }
    Matcher m = Pattern.compile("Depends: (linux-image-\\S+)").matcher(depends.output());
    if (!depends.ok() || !m.find()) {
      throw new IOException("cannot tell which kernel package " + KERNEL_METAPACKAGE + " stands for: "
          + depends.output().strip());
    }
    return m.group(1);
  }

  /** The package's .deb in {@code debs}, downloaded once. */
  private static Path fetch(Path debs, String pkg, String filePrefix) throws IOException {
    Optional<Path> cached = find(debs, pkg + "_");
    if (cached.isPresent()) {
      return cached.get();
    }
    Commands.Result download = Commands.run(debs, APT_TIMEOUT, "apt-get", "download", "-q", pkg);
    if (!download.ok() && isRoot()) {
      aptUpdate();
      download = Commands.run(debs, APT_TIMEOUT, "apt-get", "download", "-q", pkg);
    }
    download.orThrow();
    return find(debs, pkg + "_").orElseThrow(() -> new IOException("apt-get download " + pkg + " left no "
        + filePrefix + "*.deb in " + debs));
  }

  private static void aptUpdate() {
    Commands.run(APT_TIMEOUT, "apt-get", "update", "-qq");
  }

  private static Optional<Path> find(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".deb"))
          .sorted().reduce((a, b) -> b);
    }
  }

  /** Unpacks a .deb into {@code target}. */
  private static Path unpack(Path deb, Path target) throws IOException {
    LibvirtDaemon.deleteTree(target);
    Files.createDirectories(target);
    Commands.run(Duration.ofMinutes(5), "dpkg-deb", "-x", deb.toString(), target.toString()).orThrow();
    return target;
  }

  private static Path only(Path dir, String what) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> all = entries.toList();
      if (all.size() != 1) {
        throw new IOException("expected one " + what + " in " + dir + ", found " + all);
      }
      return all.get(0);
    }
  }

  static byte[] resource(String name) {
    try (InputStream in = GuestImage.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:")).findFirst()
          .map(l -> l.split("\\s+")[1].equals("0")).orElse(false);
    } catch (IOException e) {
      return false;
    }
  }
}
