package io.vguest.reconcile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.Hypervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

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
  public static final class CountingHypervisor extends ForwardingHypervisor {
    public final AtomicInteger defines = new AtomicInteger();
    public final AtomicInteger starts = new AtomicInteger();
    public final AtomicInteger shutdowns = new AtomicInteger();
    /** Whether undefine is allowed; a sync must never undefine, a node agent does on delete and move. */
    public volatile boolean allowUndefine;
    public final AtomicInteger undefines = new AtomicInteger();

    public CountingHypervisor(Hypervisor delegate) {
      super(delegate);
    }

    public int writes() {
      return defines.get() + starts.get() + shutdowns.get();
    }

    @Override public DomainView define(String domainXml) {
      defines.incrementAndGet();
      return delegate.define(domainXml);
    }

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
  }

  private SyncFixtures() {}
}
