package io.vguest.reconcile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.DomainEvent;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.HostFacts;
import io.vguest.libvirt.Hypervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Guests written as users write them, stamped as the operator stamps them, and a private libvirt test node. */
public final class SyncFixtures {

  static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  static final GuestSettings SETTINGS = GuestSettings.defaults("test-seed").withAllowedPools(Set.of("default"));

  static final NodeFacts NODE = new NodeFacts("node-a", "4c4c4544-0042-3510-8052-b7c04f4e3232", 9_000_000L,
      Map.of("q35", "pc-q35-7.2", "pc", "pc-i440fx-7.2"));

  static final String WEB = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: web-1, namespace: demo, generation: 1, uid: 0b7c7d1e-8d4f-4f7e-9a51-2c7d1e8d4f01}
      spec:
        nodeName: node-a
        resources: {cpus: 2, memory: 1Gi}
        disks:
          - name: root
            role: root
            tag: system
            source: {volume: {pool: default, name: web-1-root.qcow2}}
          - name: install
            role: cdrom
        interfaces:
          - name: eth0
            network: default
      """;

  public static VirtualGuest guest(String yaml) {
    try {
      return YAML.readValue(yaml, VirtualGuest.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static VirtualGuest stamped(String yaml) {
    return new GuestStamper(SETTINGS, NODE).stamp(guest(yaml), null).guest();
  }

  /** A deep copy, as the next watch event would deliver the guest. */
  static VirtualGuest copy(VirtualGuest guest) {
    return YAML.convertValue(guest, VirtualGuest.class);
  }

  /** A libvirt test-driver node of its own, with the pool the guests use. */
  public static String testNode(Path dir) {
    Path node = dir.resolve("node.xml");
    try {
      Files.writeString(node, """
          <node>
            <pool type='dir'>
              <name>default</name>
              <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>
              <capacity unit='GiB'>100</capacity>
              <allocation>0</allocation>
              <available unit='GiB'>100</available>
              <target><path>/var/lib/vguest/images</path></target>
            </pool>
          </node>
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "test://" + node.toAbsolutePath();
  }

  /** Counts the calls that change a domain, passing everything on. */
  public static final class CountingHypervisor implements Hypervisor {
    final Hypervisor delegate;
    public final AtomicInteger defines = new AtomicInteger();
    public final AtomicInteger starts = new AtomicInteger();
    public final AtomicInteger shutdowns = new AtomicInteger();

    public CountingHypervisor(Hypervisor delegate) {
      this.delegate = delegate;
    }

    public int writes() {
      return defines.get() + starts.get() + shutdowns.get();
    }

    @Override public Optional<DomainView> lookup(String domainName) {
      return delegate.lookup(domainName);
    }

    @Override public List<DomainView> listAll() {
      return delegate.listAll();
    }

    @Override public DomainView define(String domainXml) {
      defines.incrementAndGet();
      return delegate.define(domainXml);
    }

    /** Whether undefine is allowed; a sync must never undefine, a node agent does on delete and move. */
    public volatile boolean allowUndefine;
    public final AtomicInteger undefines = new AtomicInteger();

    @Override public boolean undefine(String domainName) {
      if (!allowUndefine) {
        throw new AssertionError("sync must never undefine");
      }
      undefines.incrementAndGet();
      return delegate.undefine(domainName);
    }

    @Override public void start(String domainName) {
      starts.incrementAndGet();
      delegate.start(domainName);
    }

    @Override public boolean shutdown(String domainName, Duration grace) {
      shutdowns.incrementAndGet();
      return delegate.shutdown(domainName, grace);
    }

    @Override public void destroy(String domainName) {
      if (!allowUndefine) {
        throw new AssertionError("sync destroys only through shutdown");
      }
      delegate.destroy(domainName);
    }

    @Override public String dumpXml(String domainName) {
      return delegate.dumpXml(domainName);
    }

    @Override public Optional<String> metadata(String domainName, String namespaceUri) {
      return delegate.metadata(domainName, namespaceUri);
    }

    @Override public String hostCapabilitiesXml() {
      return delegate.hostCapabilitiesXml();
    }

    @Override public Optional<String> domainCapabilitiesXml(String machineType, String virtType) {
      return delegate.domainCapabilitiesXml(machineType, virtType);
    }

    @Override public HostFacts hostFacts() {
      return delegate.hostFacts();
    }

    @Override public void createVolume(String pool, String volumeName, long capacityBytes) {
      delegate.createVolume(pool, volumeName, capacityBytes);
    }

    @Override public boolean deleteVolume(String pool, String volumeName) {
      return delegate.deleteVolume(pool, volumeName);
    }

    @Override public boolean volumeExists(String pool, String volumeName) {
      return delegate.volumeExists(pool, volumeName);
    }

    @Override public Optional<String> volumePath(String pool, String volumeName) {
      return delegate.volumePath(pool, volumeName);
    }

    @Override public void addLifecycleListener(Consumer<DomainEvent> listener) {
      delegate.addLifecycleListener(listener);
    }

    @Override public void addReconnectListener(Runnable listener) {
      delegate.addReconnectListener(listener);
    }

    @Override public boolean connected() {
      return delegate.connected();
    }

    @Override public void close() {
      delegate.close();
    }
  }

  private SyncFixtures() {}
}
