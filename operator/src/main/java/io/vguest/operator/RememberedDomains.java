package io.vguest.operator;

import io.vguest.libvirt.DomainEvent;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.Hypervisor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node agent's memory of its domains: what {@link #lookup} last returned for each domain,
 * kept until something may have changed it, so that the syncs a guest goes through after its own
 * writes and libvirt events cost no libvirt call. A domain is looked up again after:
 *
 * <ul>
 *   <li>a libvirt lifecycle event about it that the agent's own call did not cause (a
 *       {@code virsh edit}, {@code virsh destroy}, a guest powering itself off, a crash);
 *   <li>a listing of the node's domains ({@link #listAll}, the agent's periodic domain scan) that
 *       shows it differently, or not at all; so a change whose event was lost is noticed within a
 *       resync period;
 *   <li>a reconnect to libvirt (events may have been missed), and never while the connection is
 *       down: every lookup then goes to libvirt and fails, as before.
 * </ul>
 *
 * <p>The agent's own calls keep the memory current: a define remembers the domain it returns, a
 * start remembers the domain as running, an undefine as gone, and the events they cause are
 * expected and change nothing. Every other call passes through unchanged.
 */
final class RememberedDomains extends ForwardingHypervisor {

  /** What a lookup returned, and the version of the domain's entry it was read at. */
  private record Known(long version, Optional<DomainView> view) {}

  private final Map<String, Known> known = new ConcurrentHashMap<>();
  /** Versions of domains whose remembered lookup was dropped; a lookup read before a drop is not kept. */
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  /** Events the agent's own calls cause and that change nothing remembered, per domain. */
  private final Map<String, List<DomainEvent.Kind>> expected = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  RememberedDomains(Hypervisor delegate) {
    super(delegate);
    // Registered before anyone else's listener: a guest poked by an event is synced after its
    // domain was forgotten, never with the domain as it was before the event.
    delegate.addLifecycleListener(this::onEvent);
    delegate.addReconnectListener(this::forgetAll);
  }

  @Override
  public Optional<DomainView> lookup(String domainName) {
    Known remembered = known.get(domainName);
    if (remembered != null && remembered.version() == version(domainName) && delegate.connected()) {
      return remembered.view();
    }
    long version = version(domainName);
    Optional<DomainView> fresh = delegate.lookup(domainName);
    remember(domainName, version, fresh);
    return fresh;
  }

  /**
   * Lists the node's domains, and drops what is remembered of a domain the listing shows
   * otherwise, or not at all. Only entries remembered before the listing began are compared: one
   * the agent's own call renewed meanwhile is newer than the listing.
   */
  @Override
  public List<DomainView> listAll() {
    Map<String, Known> before = Map.copyOf(known);
    long version = epoch.get();
    List<DomainView> all = delegate.listAll();
    if (version != epoch.get()) {
      return all;
    }
    Set<String> listed = new HashSet<>();
    for (DomainView domain : all) {
      listed.add(domain.name());
      Known remembered = before.get(domain.name());
      if (remembered != null && !remembered.view().equals(Optional.of(domain))) {
        forgetIfStill(domain.name(), remembered);
      }
    }
    before.forEach((name, remembered) -> {
      if (remembered.view().isPresent() && !listed.contains(name)) {
        forgetIfStill(name, remembered);
      }
    });
    return all;
  }

  /** Forgets a domain unless what is remembered of it changed since {@code seen}. */
  private void forgetIfStill(String domainName, Known seen) {
    if (known.get(domainName) == seen) {
      forget(domainName);
    }
  }

  @Override
  public DomainView define(String domainXml) {
    String name = nameOf(domainXml);
    if (name == null) {
      return delegate.define(domainXml);
    }
    long version = version(name);
    expect(name, DomainEvent.Kind.DEFINED);
    DomainView defined;
    try {
      defined = delegate.define(domainXml);
    } catch (RuntimeException e) {
      unexpect(name, DomainEvent.Kind.DEFINED);
      forget(name);
      throw e;
    }
    if (!name.equals(defined.name())) {
      unexpect(name, DomainEvent.Kind.DEFINED);
      forget(name);
      forget(defined.name());
      return defined;
    }
    remember(name, version, Optional.of(defined));
    return defined;
  }

  @Override
  public void start(String domainName) {
    long version = version(domainName);
    Optional<DomainView> before = rememberedAt(domainName, version);
    expect(domainName, DomainEvent.Kind.STARTED);
    try {
      delegate.start(domainName);
    } catch (RuntimeException e) {
      unexpect(domainName, DomainEvent.Kind.STARTED);
      forget(domainName);
      throw e;
    }
    if (before != null && before.isPresent()) {
      DomainView was = before.get();
      remember(domainName, version, Optional.of(new DomainView(was.name(), was.uuid(), DomainState.RUNNING,
          was.persistent(), was.vguestMetadataXml())));
    } else {
      forget(domainName);
    }
  }

  @Override
  public boolean undefine(String domainName) {
    long version = version(domainName);
    Optional<DomainView> before = rememberedAt(domainName, version);
    boolean persistentOff = before != null && before.isPresent() && before.get().state() == DomainState.STOPPED;
    if (persistentOff) {
      expect(domainName, DomainEvent.Kind.UNDEFINED);
    }
    try {
      boolean undefined = delegate.undefine(domainName);
      if (persistentOff && undefined) {
        remember(domainName, version, Optional.empty());
      } else {
        unexpect(domainName, DomainEvent.Kind.UNDEFINED);
        forget(domainName); // a running domain lives on as a transient one: looked up again
      }
      return undefined;
    } catch (RuntimeException e) {
      unexpect(domainName, DomainEvent.Kind.UNDEFINED);
      forget(domainName);
      throw e;
    }
  }

  @Override
  public boolean shutdown(String domainName, Duration grace) {
    try {
      return delegate.shutdown(domainName, grace);
    } finally {
      forget(domainName);
    }
  }

  @Override
  public void destroy(String domainName) {
    try {
      delegate.destroy(domainName);
    } finally {
      forget(domainName);
    }
  }

  /** A lifecycle event the agent's own call caused changes nothing; any other drops what is remembered. */
  private void onEvent(DomainEvent event) {
    boolean[] own = {false};
    expected.computeIfPresent(event.domainName(), (name, kinds) -> {
      List<DomainEvent.Kind> rest = new ArrayList<>(kinds);
      own[0] = rest.remove(event.kind());
      return rest.isEmpty() ? null : List.copyOf(rest);
    });
    if (!own[0]) {
      forget(event.domainName());
    }
  }

  /** After a reconnect: events may have been missed, every domain is looked up again. */
  private void forgetAll() {
    epoch.incrementAndGet();
    expected.clear();
    new ArrayList<>(known.keySet()).forEach(this::forget);
  }

  private void forget(String domainName) {
    versions.merge(domainName, 1L, Long::sum);
    known.remove(domainName);
  }

  private long version(String domainName) {
    return versions.getOrDefault(domainName, 0L) + epoch.get() * (1L << 32);
  }

  /** Remembers a lookup read at {@code version}, unless the domain was forgotten since. */
  private void remember(String domainName, long version, Optional<DomainView> view) {
    known.compute(domainName, (name, old) -> version == version(name) ? new Known(version, view) : old);
  }

  /** What is remembered of the domain at this version; null when nothing is. */
  private Optional<DomainView> rememberedAt(String domainName, long version) {
    Known remembered = known.get(domainName);
    return remembered == null || remembered.version() != version ? null : remembered.view();
  }

  private void expect(String domainName, DomainEvent.Kind kind) {
    expected.merge(domainName, List.of(kind), (a, b) -> {
      List<DomainEvent.Kind> all = new ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    });
  }

  private void unexpect(String domainName, DomainEvent.Kind kind) {
    expected.computeIfPresent(domainName, (name, kinds) -> {
      List<DomainEvent.Kind> rest = new ArrayList<>(kinds);
      rest.remove(kind);
      return rest.isEmpty() ? null : List.copyOf(rest);
    });
  }

  /** The {@code <name>} of a domain XML vguest rendered (its first element of that name), or null. */
  static String nameOf(String domainXml) {
    int start = domainXml.indexOf("<name>");
    int end = start < 0 ? -1 : domainXml.indexOf("</name>", start);
    return end < 0 ? null : domainXml.substring(start + "<name>".length(), end).trim();
  }
}
