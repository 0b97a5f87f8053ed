package io.vguest.bench;

import io.vguest.libvirt.DomainEvent;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.HostFacts;
import io.vguest.libvirt.Hypervisor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts every call to the hypervisor by name and remembers, per domain, how often and when it
 * was last defined. Passes everything on unchanged.
 */
public final class CountingHypervisor implements Hypervisor {

  private static final Pattern NAME = Pattern.compile("<name>([^<]*)</name>");

  private final Hypervisor delegate;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> definesByDomain = new ConcurrentHashMap<>();
  private final Map<String, Long> lastDefineNanos = new ConcurrentHashMap<>();

  public CountingHypervisor(Hypervisor delegate) {
    this.delegate = delegate;
  }

  private void counted(String call) {
    calls.computeIfAbsent(call, k -> new LongAdder()).increment();
  }

  /** Calls per name since the last reset, sorted by name. */
  public Map<String, Long> calls() {
    Map<String, Long> snapshot = new TreeMap<>();
    calls.forEach((k, v) -> {
      long n = v.sum();
      if (n > 0) {
        snapshot.put(k, n);
      }
    });
    return snapshot;
  }

  public long total() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long count(String call) {
    LongAdder adder = calls.get(call);
    return adder == null ? 0 : adder.sum();
  }

  /** Forgets the call counts (not the per-domain define history). */
  public void reset() {
    calls.clear();
  }

  /** How often a domain was defined since this decorator was made. */
  public long defines(String domainName) {
    LongAdder adder = definesByDomain.get(domainName);
    return adder == null ? 0 : adder.sum();
  }

  /** {@link System#nanoTime()} when the last define of a domain returned, or null. */
  public Long lastDefine(String domainName) {
    return lastDefineNanos.get(domainName);
  }

  @Override public Optional<DomainView> lookup(String domainName) {
    counted("lookup");
    return delegate.lookup(domainName);
  }

  @Override public List<DomainView> listAll() {
    counted("list");
    return delegate.listAll();
  }

  @Override public DomainView define(String domainXml) {
    counted("define");
    DomainView view = delegate.define(domainXml);
    Matcher m = NAME.matcher(domainXml);
    if (m.find()) {
      definesByDomain.computeIfAbsent(m.group(1), k -> new LongAdder()).increment();
      lastDefineNanos.put(m.group(1), System.nanoTime());
    }
    return view;
  }

  @Override public boolean undefine(String domainName) {
    counted("undefine");
    return delegate.undefine(domainName);
  }

  @Override public void start(String domainName) {
    counted("start");
    delegate.start(domainName);
  }

  @Override public boolean shutdown(String domainName, Duration grace) {
    counted("shutdown");
    return delegate.shutdown(domainName, grace);
  }

  @Override public void destroy(String domainName) {
    counted("destroy");
    delegate.destroy(domainName);
  }

  @Override public String dumpXml(String domainName) {
    counted("dumpxml");
    return delegate.dumpXml(domainName);
  }

  @Override public Optional<String> metadata(String domainName, String namespaceUri) {
    counted("metadata");
    return delegate.metadata(domainName, namespaceUri);
  }

  @Override public String hostCapabilitiesXml() {
    counted("capabilities");
    return delegate.hostCapabilitiesXml();
  }

  @Override public Optional<String> domainCapabilitiesXml(String machineType, String virtType) {
    counted("domcapabilities");
    return delegate.domainCapabilitiesXml(machineType, virtType);
  }

  @Override public HostFacts hostFacts() {
    counted("hostfacts");
    return delegate.hostFacts();
  }

  @Override public void createVolume(String pool, String volumeName, long capacityBytes) {
    counted("vol-create");
    delegate.createVolume(pool, volumeName, capacityBytes);
  }

  @Override public String blankVolumeFormat(String pool) {
    counted("pool-format");
    return delegate.blankVolumeFormat(pool);
  }

  @Override public boolean deleteVolume(String pool, String volumeName) {
    counted("vol-delete");
    return delegate.deleteVolume(pool, volumeName);
  }

  @Override public boolean volumeExists(String pool, String volumeName) {
    counted("vol-lookup");
    return delegate.volumeExists(pool, volumeName);
  }

  @Override public Optional<String> volumePath(String pool, String volumeName) {
    counted("vol-path");
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
