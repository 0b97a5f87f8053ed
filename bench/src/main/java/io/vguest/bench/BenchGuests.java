package io.vguest.bench;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.NodeFacts;
import io.vguest.guest.VolumePaths;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The guests the benchmarks work on, written as users write them. */
public final class BenchGuests {

  /** Settings of every benchmark: a fixed seed, the pools the guests use. */
  public static final GuestSettings SETTINGS = GuestSettings.defaults("bench-seed")
      .withAllowedPools(Set.of("default", "volumes"));

  /** A node as the pure code sees it (the harness reads its node from libvirt instead). */
  public static final NodeFacts NODE = new NodeFacts("node-a", "4c4c4544-0042-3510-8052-b7c04f4e3232", 9_000_000L,
      Map.of("q35", "pc-q35-7.2", "pc", "pc-i440fx-7.2"));

  /** The node's pools as directories, where a UEFI guest's NVRAM file goes (the large guest boots UEFI). */
  public static final VolumePaths PATHS = VolumePaths.of(VolumePaths.NONE, pool -> "qcow2",
      pool -> Optional.of("/var/lib/vguest/" + pool));

  private BenchGuests() {}

  /**
   * A small Linux guest: a root volume, an empty cdrom drive, one NIC, everything else left to the
   * OS-family defaults. The scale harness creates thousands of these. It has no blank disk, so the
   * agent's libvirt work beyond the floor's one define is its own overhead, not volume creation.
   */
  public static VirtualGuest linux(String namespace, String name, String node) {
    return parse("""
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %2$s, namespace: %1$s}
        spec:
          nodeName: %3$s
          resources: {cpus: 2, memory: 1Gi}
          disks:
            - name: root
              role: root
              source: {volume: {pool: default, name: %2$s-root.qcow2}}
            - name: install
              role: cdrom
          interfaces:
            - name: eth0
              network: default
        """.formatted(namespace, name, node));
  }

  /** A large Windows guest: every disk role, several buses, three NICs, a profile. */
  public static VirtualGuest windows(String namespace, String name, String node) {
    return parse("""
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %2$s, namespace: %1$s}
        spec:
          nodeName: %3$s
          profile: windows-sata
          osFamily: windows
          displayName: "ERP Server München"
          resources: {cpus: 8, memory: 32Gi}
          disks:
            - {name: root, role: root, source: {volume: {pool: default, name: %2$s-root.qcow2}}}
            - {name: data, role: data, tag: erp-data, source: {external: {pool: volumes, volumeId: 8f0d6e4c-2b7a-4c39-9d52-0e7a1b2c3d4e}}}
            - {name: logs, role: data, bus: scsi, tag: logs, source: {blank: {pool: default, size: 50Gi}}}
            - {name: archive, role: data, bus: virtio, serial: ARCHIVE-0001, source: {volume: {pool: volumes, name: archive.qcow2}}}
            - {name: temp, role: ephemeral, source: {blank: {pool: default, size: 10Gi}}}
            - {name: swap, role: swap, source: {blank: {pool: default, size: 4Gi}}}
            - {name: drivers, role: cdrom, source: {volume: {pool: default, name: virtio-win.iso}}}
            - {name: floppy, role: floppy}
          interfaces:
            - {name: lan, bridge: br0, tag: lan}
            - {name: backup, network: backup, model: virtio}
            - {name: mgmt, userMode: true, macAddress: "52:54:00:12:34:56"}
        """.formatted(namespace, name, node));
  }

  /** The profile {@link #windows} names. */
  public static GuestDeviceProfile windowsProfile(String namespace) {
    return Serialization.unmarshal("""
        apiVersion: vguest.io/v1alpha1
        kind: GuestDeviceProfile
        metadata: {name: windows-sata, namespace: %s}
        spec:
          osFamily: windows
          serialPolicy: unique
          machineType: q35
          diskBus: sata
          cdromBus: sata
          inputBus: usb
          pointerModel: usbtablet
          videoModel: vga
          vifModel: e1000e
          scsiModel: virtio-scsi
        """.formatted(namespace), GuestDeviceProfile.class);
  }

  static VirtualGuest parse(String yaml) {
    return Serialization.unmarshal(yaml, VirtualGuest.class);
  }
}
