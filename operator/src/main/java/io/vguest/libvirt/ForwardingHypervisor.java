package io.vguest.libvirt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link Hypervisor} that passes every call on to another: the base of decorators (counting,
 * recording, fault injection) that change a few calls and leave the rest alone.
 */
public abstract class ForwardingHypervisor implements Hypervisor {

  protected final Hypervisor delegate;

  protected ForwardingHypervisor(Hypervisor delegate) {
    this.delegate = delegate;
  }

  @Override public Optional<DomainView> lookup(String domainName) {
    return delegate.lookup(domainName);
  }

  @Override public List<DomainView> listAll() {
    return delegate.listAll();
  }

  @Override public DomainView define(String domainXml) {
    return delegate.define(domainXml);
  }

  @Override public boolean undefine(String domainName) {
    return delegate.undefine(domainName);
  }

  @Override public void start(String domainName) {
    delegate.start(domainName);
  }

  @Override public boolean shutdown(String domainName, Duration grace) {
    return delegate.shutdown(domainName, grace);
  }

  @Override public void destroy(String domainName) {
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

  @Override public String blankVolumeFormat(String pool) {
    return delegate.blankVolumeFormat(pool);
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

  @Override public Optional<String> poolDirectory(String pool) {
    return delegate.poolDirectory(pool);
  }

  @Override public Optional<byte[]> readVolume(String pool, String volumeName, int maxBytes) {
    return delegate.readVolume(pool, volumeName, maxBytes);
  }

  @Override public void writeVolume(String pool, String volumeName, byte[] content) {
    delegate.writeVolume(pool, volumeName, content);
  }
}
