package io.vguest.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine can run the suite: Linux, root (the daemons run QEMU as root in private
 * mount namespaces), libvirtd with its QEMU driver, QEMU, qemu-img, virsh, unshare, and apt-get with
 * dpkg-deb to fetch the guest's kernel and busybox. {@code bin/test} installs the Debian packages.
 */
final class Prerequisites {

  /** Debian packages that provide the commands checked here (bin/test installs them). */
  static final String PACKAGES = "libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils libvirt-clients ovmf "
      + "swtpm swtpm-tools";

  private Prerequisites() {}

  /** Why the suite cannot run here, or empty when it can. */
  static Optional<String> missing() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return Optional.of("not Linux (" + System.getProperty("os.name") + ")");
    }
    if (!GuestImage.isRoot()) {
      return Optional.of("not running as root (the libvirt daemons run QEMU as root in private mount namespaces); "
          + "run bin/test as root, e.g. in a Debian 12 VM or container");
    }
    List<String> absent = new ArrayList<>();
    for (String command : List.of("libvirtd", "qemu-system-x86_64", "qemu-img", "virsh", "unshare", "apt-get", "apt-cache",
        "dpkg-deb", "swtpm", "swtpm_setup")) {
      if (!Commands.onPath(command)) {
        absent.add(command);
      }
    }
    if (!absent.isEmpty()) {
      return Optional.of("commands not found: " + String.join(", ", absent) + " (Debian packages: " + PACKAGES
          + "; bin/test installs them)");
    }
    if (!qemuDriverPresent()) {
      return Optional.of("libvirt's QEMU driver is not installed (Debian package libvirt-daemon-driver-qemu)");
    }
    if (!java.nio.file.Files.exists(java.nio.file.Path.of("/usr/share/qemu/firmware/60-edk2-x86_64.json"))) {
      return Optional.of("no UEFI firmware descriptors in /usr/share/qemu/firmware (Debian package ovmf)");
    }
    Commands.Result namespace = Commands.run(Duration.ofSeconds(20), "unshare", "--mount", "--propagation",
        "private", "true");
    if (!namespace.ok()) {
      return Optional.of("cannot create a private mount namespace (unshare --mount: " + namespace.output().strip()
          + "); a container needs CAP_SYS_ADMIN");
    }
    return Optional.empty();
  }

  private static boolean qemuDriverPresent() {
    return java.nio.file.Files.exists(java.nio.file.Path.of(
        "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"));
  }

  /** Whether a machine that cannot run the suite must fail instead of skipping it. */
  static boolean required() {
    return Boolean.getBoolean("vguest.e2e.require") || "1".equals(System.getenv("VGUEST_E2E_REQUIRE"))
        || "true".equalsIgnoreCase(System.getenv("VGUEST_E2E_REQUIRE"));
  }

  /** Whether the suite was switched off on purpose. */
  static boolean switchedOff() {
    return Boolean.getBoolean("vguest.e2e.skip") || "1".equals(System.getenv("VGUEST_E2E_SKIP"))
        || "true".equalsIgnoreCase(System.getenv("VGUEST_E2E_SKIP"));
  }
}
