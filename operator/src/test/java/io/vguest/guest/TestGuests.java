package io.vguest.guest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.util.Map;
import java.util.Set;

/** Guests and profiles for tests, written as the YAML users write. */
final class TestGuests {

  static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static final GuestSettings SETTINGS = GuestSettings.defaults("test-seed").withAllowedPools(Set.of("default", "volumes"));

  static final NodeFacts NODE_A = new NodeFacts("node-a", "4c4c4544-0042-3510-8052-b7c04f4e3232", 9_000_000L,
      Map.of("q35", "pc-q35-7.2", "pc", "pc-i440fx-7.2"));

  static final String LINUX = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: web-1, namespace: demo}
      spec:
        nodeName: node-a
        resources: {cpus: 2, memory: 2Gi}
        disks:
          - name: root
            role: root
            source: {volume: {pool: default, name: web-1-root.qcow2}}
          - name: data
            role: data
            tag: data
            source: {blank: {pool: default, size: 20Gi}}
          - name: vol
            role: data
            source: {external: {pool: volumes, volumeId: 8f0d6e4c-2b7a-4c39-9d52-0e7a1b2c3d4e}}
          - name: install
            role: cdrom
        interfaces:
          - name: eth0
            network: default
            tag: primary
      """;

  static VirtualGuest guest(String yaml) {
    try {
      return YAML.readValue(yaml, VirtualGuest.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static GuestDeviceProfile profile(String yaml) {
    try {
      return YAML.readValue(yaml, GuestDeviceProfile.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private TestGuests() {}

  /** A node whose pools are directories under /var/lib/libvirt/pools (where a UEFI guest's NVRAM is created). */
  static final VolumePaths POOL_DIRECTORIES = new VolumePaths() {
    @Override
    public java.util.Optional<String> pathOf(String pool, String volume) {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> poolDirectory(String pool) {
      return java.util.Optional.of("/var/lib/libvirt/pools/" + pool);
    }
  };
}
