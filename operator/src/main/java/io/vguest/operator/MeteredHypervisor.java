package io.vguest.operator;

import io.vguest.libvirt.DomainEvent;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.HostFacts;
import io.vguest.libvirt.Hypervisor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Times every libvirt call for the {@code vguest_libvirt_call_duration} metric and passes it on. */
final class MeteredHypervisor implements Hypervisor {

  private final Hypervisor delegate;
  private final AgentMetrics metrics;

  MeteredHypervisor(Hypervisor delegate, AgentMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  /** False only when a libvirt-java connection exists and its process-wide event loop died. */
  boolean eventLoopAlive() {
    Hypervisor inner = delegate;
    return !(inner instanceof io.vguest.libvirt.LibvirtHypervisor) || io.vguest.libvirt.LibvirtEventLoop.alive();
  }

  private <T> T timed(String call, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      metrics.libvirtCall(call, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private void timed(String call, Runnable work) {
    timed(call, () -> {
      work.run();
      return null;
    });
  }

  @Override public Optional<DomainView> lookup(String domainName) {
    return timed("lookup", () -> delegate.lookup(domainName));
  }

  @Override public List<DomainView> listAll() {
    return timed("list", delegate::listAll);
  }

  @Override public DomainView define(String domainXml) {
    return timed("define", () -> delegate.define(domainXml));
  }

  @Override public boolean undefine(String domainName) {
    return timed("undefine", () -> delegate.undefine(domainName));
  }

  @Override public void start(String domainName) {
    timed("start", () -> delegate.start(domainName));
  }

  @Override public boolean shutdown(String domainName, Duration grace) {
    return timed("shutdown", () -> delegate.shutdown(domainName, grace));
  }

  @Override public void destroy(String domainName) {
    timed("destroy", () -> delegate.destroy(domainName));
  }

  @Override public String dumpXml(String domainName) {
    return timed("dumpxml", () -> delegate.dumpXml(domainName));
  }

  @Override public Optional<String> metadata(String domainName, String namespaceUri) {
    return timed("metadata", () -> delegate.metadata(domainName, namespaceUri));
  }

  @Override public String hostCapabilitiesXml() {
    return timed("capabilities", delegate::hostCapabilitiesXml);
  }

  @Override public Optional<String> domainCapabilitiesXml(String machineType, String virtType) {
    return timed("domcapabilities", () -> delegate.domainCapabilitiesXml(machineType, virtType));
  }

  @Override public HostFacts hostFacts() {
    return timed("hostfacts", delegate::hostFacts);
  }

  @Override public void createVolume(String pool, String volumeName, long capacityBytes) {
    timed("vol-create", () -> delegate.createVolume(pool, volumeName, capacityBytes));
  }

  @Override public String blankVolumeFormat(String pool) {
    return timed("pool-format", () -> delegate.blankVolumeFormat(pool));
  }

  @Override public boolean deleteVolume(String pool, String volumeName) {
    return timed("vol-delete", () -> delegate.deleteVolume(pool, volumeName));
  }

  @Override public boolean volumeExists(String pool, String volumeName) {
    return timed("vol-lookup", () -> delegate.volumeExists(pool, volumeName));
  }

  @Override public Optional<String> volumePath(String pool, String volumeName) {
    return timed("vol-path", () -> delegate.volumePath(pool, volumeName));
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

  @Override public Optional<String> poolDirectory(String pool) {
    return timed("pool-dir", () -> delegate.poolDirectory(pool));
  }

  @Override public Optional<byte[]> readVolume(String pool, String volumeName, int maxBytes) {
    return timed("vol-read", () -> delegate.readVolume(pool, volumeName, maxBytes));
  }

  @Override public void writeVolume(String pool, String volumeName, byte[] content) {
    timed("vol-write", () -> delegate.writeVolume(pool, volumeName, content));
  }
}
