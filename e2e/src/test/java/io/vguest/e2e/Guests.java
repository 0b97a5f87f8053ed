package io.vguest.e2e;

/**
 * Manifests of the suite's guests, written as a user writes them: identity and devices left unset.
 * They name no namespace: {@link E2eCluster} puts them into the run's.
 */
final class Guests {

  /** The namespace of guests, profiles and Leases on the mock API server (a real cluster gets one per run). */
  static final String NAMESPACE = "e2e";

  private Guests() {}

  /** The kernelBoot block every guest uses; the command line announces how many disks and NICs to wait for. */
  static String kernelBoot(int disks, int nics) {
    return """
          kernelBoot:
            kernel: {pool: %s, name: %s}
            initrd: {pool: %s, name: %s}
            cmdline: "%s"
        """.formatted(E2eNode.POOL, E2eEnvironment.KERNEL_VOLUME, E2eNode.POOL, E2eEnvironment.INITRD_VOLUME,
        cmdline(disks, nics));
  }

  /** The guest's kernel command line: the console, and how many disks and NICs its init waits for. */
  static String cmdline(int disks, int nics) {
    return "console=ttyS0 quiet no_timer_check vge2e.disks=" + disks + " vge2e.nics=" + nics;
  }

  /**
   * A Linux guest with a root and a tagged data disk, an empty cdrom and a tagged NIC; nothing of
   * its identity or devices is set.
   */
  static String linux(String name, String node) {
    return """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata:
          name: %1$s
        spec:
          nodeName: %2$s
          resources: {cpus: 1, memory: 256Mi}
        %3$s  disks:
            - name: root
              role: root
              source: {volume: {pool: %4$s, name: %1$s-root.raw}}
            - name: data
              role: data
              tag: data
              source: {volume: {pool: %4$s, name: %1$s-data.raw}}
            - name: install
              role: cdrom
          interfaces:
            - name: eth0
              userMode: true
              tag: primary
        """.formatted(name, node, kernelBoot(3, 1), E2eNode.POOL);
  }

  /** A guest with one root disk and one NIC and the given firmware block (e.g. a serial policy). */
  static String small(String name, String node, String firmware) {
    return """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata:
          name: %1$s
        spec:
          nodeName: %2$s
          resources: {cpus: 1, memory: 256Mi}
          firmware: %5$s
        %3$s  disks:
            - name: root
              role: root
              source: {volume: {pool: %4$s, name: %1$s-root.raw}}
          interfaces:
            - name: eth0
              userMode: true
        """.formatted(name, node, kernelBoot(1, 1), E2eNode.POOL, firmware);
  }

  /** The profile Windows guests use: sata disks and cdrom, an e1000e NIC, usb input, vga. */
  static final String WINDOWS_PROFILE = """
      apiVersion: vguest.io/v1alpha1
      kind: GuestDeviceProfile
      metadata:
        name: windows-sata
      spec:
        osFamily: windows
        machineType: q35
        diskBus: sata
        cdromBus: sata
        inputBus: usb
        pointerModel: usbtablet
        videoModel: vga
        vifModel: e1000e
        scsiModel: lsilogic
        rngModel: virtio
      """;

  /**
   * A guest using the Windows profile: its disks and NIC come from the profile. It boots BIOS: the
   * Windows default (UEFI with Secure Boot) would refuse the direct boot of an unsigned kernel;
   * {@link FirmwareScenarioTest} covers UEFI.
   */
  static String windowsStyle(String name, String node) {
    return """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata:
          name: %1$s
        spec:
          nodeName: %2$s
          profile: windows-sata
          firmware: {bootMode: bios, tpm: none}
          resources: {cpus: 1, memory: 256Mi}
        %3$s  disks:
            - name: root
              role: root
              source: {volume: {pool: %4$s, name: %1$s-root.raw}}
            - name: data
              role: data
              tag: data
              source: {volume: {pool: %4$s, name: %1$s-data.raw}}
          interfaces:
            - name: lan
              userMode: true
              tag: lan
        """.formatted(name, node, kernelBoot(2, 1), E2eNode.POOL);
  }
}
