package io.vguest.libvirt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.libvirt.Connect;

/**
 * {@link Hypervisor} on libvirt-java: one shared connection that reconnects by itself
 * ({@link LibvirtConnection}), its lifecycle events ({@link LibvirtLifecycleEvents}), and the
 * port's domain, storage and host calls ({@link LibvirtDomains}, {@link LibvirtVolumes},
 * {@link LibvirtHost}), with libvirt's errors mapped by {@link LibvirtErrors}. While the
 * connection is lost every call fails at once with {@link HypervisorException.Kind#CONNECTION_LOST}.
 */
public final class LibvirtHypervisor implements Hypervisor {

  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  private final LibvirtLifecycleEvents events;
  private final LibvirtConnection connection;
  private final LibvirtDomains domains;
  private final LibvirtVolumes volumes;
  private final LibvirtHost host;

  /**
   * Connects to {@code uri} (e.g. {@code qemu:///system}). When the first attempt fails, the
   * hypervisor starts disconnected and keeps trying in the background; reconnect listeners run
   * once it succeeds.
   */
  public LibvirtHypervisor(String uri) {
    this(uri, Connect::new, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  LibvirtHypervisor(
      String uri, LibvirtConnection.Factory factory, Duration initialBackoff, Duration maxBackoff) {
    this.events = new LibvirtLifecycleEvents();
    this.connection = new LibvirtConnection(uri, factory, initialBackoff, maxBackoff, events);
    this.domains = new LibvirtDomains(connection);
    this.volumes = new LibvirtVolumes(connection);
    this.host = new LibvirtHost(connection);
  }

  // ---------------------------------------------------------------- domains

  @Override
  public Optional<DomainView> lookup(String domainName) {
    return domains.lookup(domainName);
  }

  @Override
  public List<DomainView> listAll() {
    return domains.listAll();
  }

  @Override
  public DomainView define(String domainXml) {
    return domains.define(domainXml);
  }

  @Override
  public boolean undefine(String domainName) {
    return domains.undefine(domainName);
  }

  @Override
  public void start(String domainName) {
    domains.start(domainName);
  }

  @Override
  public boolean shutdown(String domainName, Duration grace) {
    return domains.shutdown(domainName, grace);
  }

  @Override
  public void destroy(String domainName) {
    domains.destroy(domainName);
  }

  @Override
  public String dumpXml(String domainName) {
    return domains.dumpXml(domainName);
  }

  @Override
  public Optional<String> metadata(String domainName, String namespaceUri) {
    return domains.metadata(domainName, namespaceUri);
  }

  // ---------------------------------------------------------------- host

  @Override
  public String hostCapabilitiesXml() {
    return host.hostCapabilitiesXml();
  }

  @Override
  public Optional<String> domainCapabilitiesXml(String machineType, String virtType) {
    return host.domainCapabilitiesXml(machineType, virtType);
  }

  @Override
  public HostFacts hostFacts() {
    return host.hostFacts();
  }

  // ---------------------------------------------------------------- volumes and pools

  @Override
  public void createVolume(String pool, String volumeName, long capacityBytes) {
    volumes.createVolume(pool, volumeName, capacityBytes);
  }

  @Override
  public String blankVolumeFormat(String pool) {
    return volumes.blankVolumeFormat(pool);
  }

  @Override
  public boolean deleteVolume(String pool, String volumeName) {
    return volumes.deleteVolume(pool, volumeName);
  }

  @Override
  public boolean volumeExists(String pool, String volumeName) {
    return volumes.volumeExists(pool, volumeName);
  }

  @Override
  public Optional<String> volumePath(String pool, String volumeName) {
    return volumes.volumePath(pool, volumeName);
  }

  @Override
  public Optional<String> poolDirectory(String pool) {
    return volumes.poolDirectory(pool);
  }

  @Override
  public Optional<byte[]> readVolume(String pool, String volumeName, int maxBytes) {
    return volumes.readVolume(pool, volumeName, maxBytes);
  }

  @Override
  public void writeVolume(String pool, String volumeName, byte[] content) {
    volumes.writeVolume(pool, volumeName, content);
  }

  // ---------------------------------------------------------------- listeners and connection

  @Override
  public void addLifecycleListener(Consumer<DomainEvent> listener) {
    events.addListener(listener);
  }

  @Override
  public void addReconnectListener(Runnable listener) {
    connection.addReconnectListener(listener);
  }

  @Override
  public boolean connected() {
    return connection.connected();
  }

  /** Waits until connected; true when connected within {@code timeout}. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return connection.awaitConnected(timeout);
  }

  @Override
  public void close() {
    connection.close();
  }

  /** Test hook: treat the current connection as lost. */
  void onConnectionLost() {
    connection.onConnectionLost();
  }

  @Override
  public String toString() {
    return "LibvirtHypervisor[" + connection.uri() + (connected() ? ", connected" : ", disconnected") + "]";
  }
}
