package io.vguest.libvirt;

import io.vguest.libvirt.HypervisorException.Kind;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;
import org.libvirt.event.ConnectionCloseListener;
import org.libvirt.event.ConnectionCloseReason;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * {@link Hypervisor} on libvirt-java. One shared connection, watched by a close listener and
 * keepalives; when it is lost every call fails at once with {@link Kind#CONNECTION_LOST} while a
 * background thread reconnects with exponential backoff, re-registers the event listeners and then
 * runs the reconnect listeners so the caller can resync its guests.
 */
public final class LibvirtHypervisor implements Hypervisor {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtHypervisor.class);

  /** Opens a connection; injectable so tests can simulate failures. */
  @FunctionalInterface
  interface ConnectionFactory {
    Connect open(String uri) throws Exception;
  }

  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int KEEPALIVE_INTERVAL_SECONDS = 5;
  private static final int KEEPALIVE_COUNT = 3;
  private static final long SHUTDOWN_POLL_MILLIS = 200;

  // virDomainXMLFlags, virDomainModificationImpact, virDomainMetadataType, virDomainUndefineFlags
  private static final int XML_INACTIVE = 2;
  private static final int AFFECT_CURRENT = 0;
  private static final int AFFECT_CONFIG = 2;
  private static final int METADATA_ELEMENT = 2;
  private static final int UNDEFINE_MANAGED_SAVE = 1;
  private static final int UNDEFINE_SNAPSHOTS_METADATA = 2;
  private static final int UNDEFINE_KEEP_NVRAM = 8;
  private static final int UNDEFINE_CHECKPOINTS_METADATA = 16;

  private final String uri;
  private final ConnectionFactory factory;
  private final long initialBackoffMillis;
  private final long maxBackoffMillis;

  /** Readers are calls in flight; the writer retires a connection once no call uses it. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Blank volume format per pool name: a pool's type does not change while it keeps its name. */
  private final java.util.Map<String, String> blankFormats = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicReference<Connect> current = new AtomicReference<>();
  private volatile boolean closed;

  private final List<Consumer<DomainEvent>> lifecycleListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService events;
  private final ExecutorService reconnector;

  private final LifecycleListener nativeLifecycle = this::onLifecycleEvent;
  private final ConnectionCloseListener closeListener = this::onClose;

  /**
   * Connects to {@code uri} (e.g. {@code qemu:///system}). When the first attempt fails, the
   * hypervisor starts disconnected and keeps trying in the background; reconnect listeners run
   * once it succeeds.
   */
  public LibvirtHypervisor(String uri) {
    this(uri, Connect::new, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  LibvirtHypervisor(
      String uri, ConnectionFactory factory, Duration initialBackoff, Duration maxBackoff) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.initialBackoffMillis = Math.max(1, initialBackoff.toMillis());
    this.maxBackoffMillis = Math.max(initialBackoffMillis, maxBackoff.toMillis());
    this.events = Executors.newSingleThreadExecutor(daemonThreads("vguest-libvirt-events"));
    this.reconnector = Executors.newSingleThreadExecutor(daemonThreads("vguest-libvirt-reconnect"));
    LibvirtEventLoop.ensureStarted();
    try {
      current.set(openAndWire());
      LOG.info("connected to libvirt at {}", uri);
    } catch (Exception e) {
      LOG.warn("cannot connect to libvirt at {}: {}; retrying in the background", uri, e.getMessage());
      reconnector.execute(() -> reconnect(null));
    }
  }

  // ---------------------------------------------------------------- domains

  @Override
  public Optional<DomainView> lookup(String domainName) {
    Objects.requireNonNull(domainName, "domainName");
    return call(
        "look up domain '" + domainName + "'",
        c -> {
          Domain d = lookupOrNull(c, domainName);
          if (d == null) {
            return Optional.empty();
          }
          try {
            return Optional.of(view(d));
          } catch (LibvirtException e) {
            if (LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN)) {
              return Optional.empty(); // undefined between lookup and read
            }
            throw e;
          } finally {
            free(d);
          }
        });
  }

  @Override
  public List<DomainView> listAll() {
    return call(
        "list domains",
        c -> {
          Domain[] all = c.listAllDomains(0);
          List<DomainView> views = new ArrayList<>(all.length);
          try {
            for (Domain d : all) {
              try {
                views.add(view(d));
              } catch (LibvirtException e) {
                if (!LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                  throw e;
                }
              }
            }
          } finally {
            for (Domain d : all) {
              free(d);
            }
          }
          return views;
        });
  }

  @Override
  public DomainView define(String domainXml) {
    Objects.requireNonNull(domainXml, "domainXml");
    return call(
        "define domain",
        c -> {
          Domain d;
          if (NativeLibvirt.available(c)) {
            String uuid = NativeLibvirt.defineXml(c, domainXml, NativeLibvirt.VIR_DOMAIN_DEFINE_VALIDATE);
            d = c.domainLookupByUUIDString(uuid);
          } else {
            d = c.domainDefineXML(domainXml);
          }
          try {
            return view(d);
          } finally {
            free(d);
          }
        });
  }

  @Override
  public boolean undefine(String domainName) {
    return call(
        "undefine domain '" + domainName + "'",
        c -> {
          Domain d = lookupOrNull(c, domainName);
          if (d == null) {
            return false;
          }
          try {
            if (d.isPersistent() != 1) {
              return false;
            }
            int flags = UNDEFINE_MANAGED_SAVE | UNDEFINE_SNAPSHOTS_METADATA | UNDEFINE_CHECKPOINTS_METADATA;
            if (d.getXMLDesc(XML_INACTIVE).contains("<nvram")) {
              // The variable store is the guest's own pool volume: it moves with the guest and is
              // deleted only with it. (Without a flag libvirt refuses to undefine a domain with NVRAM.)
              flags |= UNDEFINE_KEEP_NVRAM;
            }
            try {
              d.undefine(flags);
            } catch (LibvirtException e) {
              ErrorNumber code = LibvirtErrors.code(e.getError());
              if (code != ErrorNumber.VIR_ERR_INVALID_ARG && code != ErrorNumber.VIR_ERR_NO_SUPPORT) {
                throw e;
              }
              // a driver without these flags, e.g. the test driver refuses NVRAM (it keeps no files)
              d.undefine(0);
            }
            LOG.debug("undefined domain {} (flags {})", domainName, flags);
            return true;
          } finally {
            free(d);
          }
        });
  }

  @Override
  public void start(String domainName) {
    withDomain(
        "start domain '" + domainName + "'",
        domainName,
        d -> {
          if (d.isActive() != 1) {
            d.create();
          }
          return null;
        });
  }

  @Override
  public boolean shutdown(String domainName, Duration grace) {
    Objects.requireNonNull(grace, "grace");
    String what = "shut down domain '" + domainName + "'";
    Optional<DomainState> state = stateOf(domainName);
    if (state.isEmpty() || state.get() == DomainState.STOPPED) {
      return true;
    }
    if (state.get() == DomainState.PAUSED || state.get() == DomainState.CRASHED) {
      // a paused or crashed guest cannot react to the power button
      destroy(domainName);
      return false;
    }
    try {
      withDomain(
          what,
          domainName,
          d -> {
            d.shutdown();
            return null;
          });
    } catch (HypervisorException e) {
      if (e.kind() != Kind.INVALID_STATE && e.kind() != Kind.NOT_FOUND) {
        throw e;
      }
      // stopped in the meantime; the state check below decides
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (true) {
      Optional<DomainState> now = stateOf(domainName);
      if (now.isEmpty() || now.get() == DomainState.STOPPED) {
        LOG.debug("domain {} shut down gracefully", domainName);
        return true;
      }
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMillis <= 0) {
        break;
      }
      try {
        Thread.sleep(Math.min(SHUTDOWN_POLL_MILLIS, remainingMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HypervisorException(Kind.OTHER, what + ": interrupted while waiting", null, e);
      }
    }
    LOG.info("domain {} did not shut down within {}; forcing it off", domainName, grace);
    destroy(domainName);
    return false;
  }

  @Override
  public void destroy(String domainName) {
    withDomain(
        "destroy domain '" + domainName + "'",
        domainName,
        d -> {
          if (d.isActive() != 1) {
            return null;
          }
          try {
            d.destroy();
          } catch (LibvirtException e) {
            if (!LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_OPERATION_INVALID)
                || d.isActive() == 1) {
              throw e;
            }
          }
          return null;
        });
  }

  @Override
  public String dumpXml(String domainName) {
    return withDomain("dump XML of domain '" + domainName + "'", domainName, d -> d.getXMLDesc(XML_INACTIVE));
  }

  @Override
  public Optional<String> metadata(String domainName, String namespaceUri) {
    Objects.requireNonNull(namespaceUri, "namespaceUri");
    return withDomain(
        "read metadata of domain '" + domainName + "'",
        domainName,
        d -> readMetadata(d, namespaceUri, d.isPersistent() == 1));
  }

  // ---------------------------------------------------------------- host

  @Override
  public String hostCapabilitiesXml() {
    return call("read host capabilities", Connect::getCapabilities);
  }

  @Override
  public Optional<String> domainCapabilitiesXml(String machineType, String virtType) {
    return call(
        "read domain capabilities",
        c -> {
          if (!NativeLibvirt.available(c)) {
            throw new HypervisorException(
                Kind.OTHER, "read domain capabilities: not reachable through this libvirt-java");
          }
          try {
            return Optional.of(NativeLibvirt.domainCapabilities(c, machineType, virtType));
          } catch (NativeLibvirt.NativeError e) {
            if (LibvirtErrors.is(e.error(), ErrorNumber.VIR_ERR_NO_SUPPORT)) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  @Override
  public HostFacts hostFacts() {
    return call(
        "read host facts",
        c ->
            new HostFacts(
                c.getURI(),
                version(Library.getVersion()),
                version(c.getLibVersion()),
                c.getType(),
                version(c.getVersion()),
                c.getHostName(),
                hostUuid(c.getCapabilities())));
  }

  // ---------------------------------------------------------------- volumes

  @Override
  public void createVolume(String pool, String volumeName, long capacityBytes) {
    Objects.requireNonNull(volumeName, "volumeName");
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive, got " + capacityBytes);
    }
    withPool(
        "create volume '" + volumeName + "' in pool '" + pool + "'",
        pool,
        p -> {
          StorageVol existing = volumeOrNull(p, volumeName);
          if (existing != null) {
            free(existing);
            throw new HypervisorException(
                Kind.CONFLICT,
                "create volume '" + volumeName + "' in pool '" + pool + "': it exists already");
          }
          String xml = volumeXml(volumeName, capacityBytes, blankFormat(p.getXMLDesc(0)));
          StorageVol v = p.storageVolCreateXML(xml, 0);
          free(v);
          return null;
        });
  }

  @Override
  public String blankVolumeFormat(String pool) {
    String known = blankFormats.get(pool);
    if (known != null) {
      return known;
    }
    String format = withPool("read the type of pool '" + pool + "'", pool, p -> blankFormat(p.getXMLDesc(0)));
    blankFormats.put(pool, format);
    return format;
  }

  @Override
  public boolean deleteVolume(String pool, String volumeName) {
    return withPool(
        "delete volume '" + volumeName + "' from pool '" + pool + "'",
        pool,
        p -> {
          StorageVol v = volumeOrNull(p, volumeName);
          if (v == null) {
            return false;
          }
          try {
            v.delete(0);
            return true;
          } finally {
            free(v);
          }
        });
  }

  @Override
  public boolean volumeExists(String pool, String volumeName) {
    return withPool(
        "look up volume '" + volumeName + "' in pool '" + pool + "'",
        pool,
        p -> {
          StorageVol v = volumeOrNull(p, volumeName);
          if (v == null) {
            p.refresh(0); // it may have been created outside libvirt
            v = volumeOrNull(p, volumeName);
          }
          free(v);
          return v != null;
        });
  }

  @Override
  public Optional<String> volumePath(String pool, String volumeName) {
    return withPool(
        "look up the path of volume '" + volumeName + "' in pool '" + pool + "'",
        pool,
        p -> {
          StorageVol v = volumeOrNull(p, volumeName);
          if (v == null) {
            p.refresh(0); // it may have been placed there outside libvirt
            v = volumeOrNull(p, volumeName);
          }
          if (v == null) {
            return Optional.<String>empty();
          }
          try {
            return Optional.of(v.getPath());
          } finally {
            free(v);
          }
        });
  }

  @Override
  public Optional<String> poolDirectory(String pool) {
    return withPool(
        "read the directory of pool '" + pool + "'",
        pool,
        p -> {
          String xml = p.getXMLDesc(0);
          String path = xpath(xml, "/pool/target/path");
          return fileBased(xml) && path != null && !path.isBlank()
              ? Optional.of(path.trim())
              : Optional.<String>empty();
        });
  }

  @Override
  public Optional<byte[]> readVolume(String pool, String volumeName, int maxBytes) {
    return withPool(
        "read volume '" + volumeName + "' of pool '" + pool + "'",
        pool,
        p -> {
          StorageVol v = volumeOrNull(p, volumeName);
          if (v == null) {
            p.refresh(0);
            v = volumeOrNull(p, volumeName);
          }
          if (v == null) {
            return Optional.<byte[]>empty();
          }
          Stream stream = null;
          try {
            long capacity = v.getInfo().capacity;
            if (capacity > maxBytes) {
              throw new HypervisorException(Kind.INVALID_STATE, "read volume '" + volumeName + "' of pool '" + pool
                  + "': " + capacity + " bytes, more than the " + maxBytes + " expected");
            }
            stream = v.getConnect().streamNew(0);
            v.download(stream, 0, capacity, 0);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) capacity);
            byte[] buffer = new byte[64 * 1024];
            for (int n = stream.receive(buffer); n > 0; n = stream.receive(buffer)) {
              out.write(buffer, 0, n);
            }
            stream.finish();
            return Optional.of(out.toByteArray());
          } finally {
            freeStream(stream);
            free(v);
          }
        });
  }

  @Override
  public void writeVolume(String pool, String volumeName, byte[] content) {
    Objects.requireNonNull(content, "content");
    withPool(
        "write volume '" + volumeName + "' of pool '" + pool + "'",
        pool,
        p -> {
          StorageVol v = volumeOrNull(p, volumeName);
          if (v != null && v.getInfo().capacity != content.length) {
            v.delete(0); // vguest's own volume, rewritten whole at its new size
            free(v);
            v = null;
          }
          if (v == null) {
            v = p.storageVolCreateXML(volumeXml(volumeName, content.length, "raw"), 0);
          }
          Stream stream = null;
          try {
            stream = v.getConnect().streamNew(0);
            v.upload(stream, 0, content.length, 0);
            for (int off = 0; off < content.length; ) {
              int n = stream.send(java.util.Arrays.copyOfRange(content, off, Math.min(content.length, off + 64 * 1024)));
              if (n <= 0) {
                throw new HypervisorException(Kind.OTHER, "write volume '" + volumeName + "': stream refused data");
              }
              off += n;
            }
            stream.finish();
            return null;
          } finally {
            freeStream(stream);
            free(v);
          }
        });
  }

  private static void freeStream(Stream stream) {
    if (stream != null) {
      try {
        stream.free();
      } catch (LibvirtException | RuntimeException ignored) {
        // already finished or aborted; nothing left to release
      }
    }
  }

  // ---------------------------------------------------------------- listeners and connection

  @Override
  public void addLifecycleListener(Consumer<DomainEvent> listener) {
    lifecycleListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void addReconnectListener(Runnable listener) {
    reconnectListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public boolean connected() {
    return !closed && current.get() != null;
  }

  /** Waits until connected; true when connected within {@code timeout}. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!connected()) {
      if (closed || System.nanoTime() >= deadline) {
        return connected();
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    Connect c = current.getAndSet(null);
    reconnector.shutdownNow();
    if (c != null) {
      retire(c);
    }
    events.shutdown();
    LOG.info("closed libvirt connection to {}", uri);
  }

  /** The connection was lost: fail calls from now on and reconnect in the background. */
  void onConnectionLost(Connect lost) {
    if (closed || lost == null || !current.compareAndSet(lost, null)) {
      return; // closing, or a connection that was already replaced
    }
    LOG.warn("libvirt connection to {} lost; calls fail until it is re-established", uri);
    try {
      reconnector.execute(() -> reconnect(lost));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void onClose(Connect conn, ConnectionCloseReason reason) {
    LOG.warn("libvirt connection to {} closed (reason {})", uri, reason);
    onConnectionLost(conn);
  }

  /** Test hook: treat the current connection as lost. */
  void onConnectionLost() {
    Connect c = current.get();
    if (c != null) {
      onConnectionLost(c);
    }
  }

  private void reconnect(Connect lost) {
    if (lost != null) {
      retire(lost);
    }
    long delay = initialBackoffMillis;
    int attempt = 0;
    while (!closed && current.get() == null) {
      attempt++;
      try {
        Connect c = openAndWire();
        current.set(c);
        if (closed && current.compareAndSet(c, null)) {
          retire(c);
          return;
        }
        LOG.info("reconnected to libvirt at {} after {} attempt(s)", uri, attempt);
        for (Runnable r : reconnectListeners) {
          try {
            r.run();
          } catch (RuntimeException e) {
            LOG.warn("reconnect listener failed: {}", e.getMessage(), e);
          }
        }
        return;
      } catch (Exception e) {
        LOG.warn(
            "reconnect to libvirt at {} failed (attempt {}): {}; next attempt in {} ms",
            uri,
            attempt,
            e.getMessage(),
            delay);
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      delay = Math.min(delay * 2, maxBackoffMillis);
    }
  }

  private Connect openAndWire() throws Exception {
    Connect c = factory.open(uri);
    try {
      try {
        c.setKeepAlive(KEEPALIVE_INTERVAL_SECONDS, KEEPALIVE_COUNT);
      } catch (LibvirtException e) {
        LOG.debug("keepalive not supported on {}: {}", uri, e.getMessage());
      }
      try {
        c.registerCloseListener(closeListener);
      } catch (LibvirtException e) {
        LOG.debug("close listener not supported on {}: {}", uri, e.getMessage());
      }
      c.addLifecycleListener(nativeLifecycle);
      return c;
    } catch (LibvirtException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Waits until no call uses the connection, then unregisters everything and closes it. */
  private void retire(Connect c) {
    lock.writeLock().lock();
    try {
      try {
        c.removeLifecycleListener(nativeLifecycle);
      } catch (LibvirtException | RuntimeException e) {
        LOG.debug("removing lifecycle listener failed: {}", e.getMessage());
      }
      try {
        c.unregisterCloseListener();
      } catch (LibvirtException | RuntimeException e) {
        LOG.debug("removing close listener failed: {}", e.getMessage());
      }
      closeQuietly(c);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void closeQuietly(Connect c) {
    try {
      c.close();
    } catch (LibvirtException | RuntimeException e) {
      LOG.debug("closing libvirt connection failed: {}", e.getMessage());
    }
  }

  private int onLifecycleEvent(Domain d, org.libvirt.event.DomainEvent e) {
    try {
      DomainEvent event =
          new DomainEvent(d.getName(), d.getUUIDString(), kindOf(e.getType()), detailOf(e));
      if (!lifecycleListeners.isEmpty()) {
        events.execute(() -> dispatch(event));
      }
    } catch (LibvirtException | RuntimeException ex) {
      LOG.warn("cannot handle libvirt lifecycle event {}: {}", e, ex.getMessage());
    } finally {
      free(d);
    }
    return 0;
  }

  private void dispatch(DomainEvent event) {
    for (Consumer<DomainEvent> l : lifecycleListeners) {
      try {
        l.accept(event);
      } catch (RuntimeException ex) {
        LOG.warn("lifecycle listener failed on {}: {}", event, ex.getMessage(), ex);
      }
    }
  }

  // ---------------------------------------------------------------- call plumbing

  @FunctionalInterface
  private interface ConnCall<T> {
    T apply(Connect c) throws LibvirtException, NativeLibvirt.NativeError;
  }

  @FunctionalInterface
  private interface DomainCall<T> {
    T apply(Domain d) throws LibvirtException;
  }

  @FunctionalInterface
  private interface PoolCall<T> {
    T apply(StoragePool p) throws LibvirtException;
  }

  private <T> T call(String what, ConnCall<T> fn) {
    lock.readLock().lock();
    try {
      Connect c = current.get();
      if (c == null) {
        throw new HypervisorException(
            Kind.CONNECTION_LOST, what + ": not connected to libvirt at " + uri);
      }
      try {
        return fn.apply(c);
      } catch (LibvirtException e) {
        throw translate(what, c, e.getError(), e);
      } catch (NativeLibvirt.NativeError e) {
        throw translate(what, c, e.error(), e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private <T> T withDomain(String what, String name, DomainCall<T> fn) {
    Objects.requireNonNull(name, "domainName");
    return call(
        what,
        c -> {
          Domain d = c.domainLookupByName(name);
          try {
            return fn.apply(d);
          } finally {
            free(d);
          }
        });
  }

  private <T> T withPool(String what, String pool, PoolCall<T> fn) {
    Objects.requireNonNull(pool, "pool");
    return call(
        what,
        c -> {
          StoragePool p = c.storagePoolLookupByName(pool);
          try {
            return fn.apply(p);
          } finally {
            free(p);
          }
        });
  }

  private HypervisorException translate(String what, Connect c, Error error, Exception cause) {
    ErrorNumber code = LibvirtErrors.code(error);
    Kind kind = LibvirtErrors.kindOf(code);
    if (LibvirtErrors.isDuplicate(error)) {
      kind = Kind.CONFLICT;
    }
    if (LibvirtErrors.mayMeanConnectionLoss(code) && !alive(c)) {
      kind = Kind.CONNECTION_LOST;
      onConnectionLost(c);
    }
    String message = what + ": " + LibvirtErrors.message(error, cause);
    return new HypervisorException(kind, message, code == null ? null : code.name(), cause);
  }

  private static boolean alive(Connect c) {
    try {
      return c.isAlive();
    } catch (LibvirtException | RuntimeException e) {
      return false;
    }
  }

  private Optional<DomainState> stateOf(String domainName) {
    try {
      return Optional.of(
          withDomain("read state of domain '" + domainName + "'", domainName, d -> stateOf(d.getInfo())));
    } catch (HypervisorException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Optional.empty(); // a transient domain disappears when it stops
      }
      throw e;
    }
  }

  private static Domain lookupOrNull(Connect c, String name) throws LibvirtException {
    try {
      return c.domainLookupByName(name);
    } catch (LibvirtException e) {
      if (LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN)) {
        return null;
      }
      throw e;
    }
  }

  private static StorageVol volumeOrNull(StoragePool p, String name) throws LibvirtException {
    try {
      return p.storageVolLookupByName(name);
    } catch (LibvirtException e) {
      if (LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
        return null;
      }
      throw e;
    }
  }

  private static DomainView view(Domain d) throws LibvirtException {
    boolean persistent = d.isPersistent() == 1;
    return new DomainView(
        d.getName(),
        d.getUUIDString(),
        stateOf(d.getInfo()),
        persistent,
        readMetadata(d, VGUEST_NAMESPACE, persistent));
  }

  private static Optional<String> readMetadata(Domain d, String namespaceUri, boolean persistent)
      throws LibvirtException {
    try {
      return Optional.ofNullable(
          d.getMetadata(METADATA_ELEMENT, namespaceUri, persistent ? AFFECT_CONFIG : AFFECT_CURRENT));
    } catch (LibvirtException e) {
      if (LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static DomainState stateOf(DomainInfo info) {
    if (info == null || info.state == null) {
      return DomainState.OTHER;
    }
    switch (info.state) {
      case VIR_DOMAIN_RUNNING:
      case VIR_DOMAIN_BLOCKED:
        return DomainState.RUNNING;
      case VIR_DOMAIN_SHUTDOWN:
        return DomainState.SHUTTING_DOWN;
      case VIR_DOMAIN_SHUTOFF:
        return DomainState.STOPPED;
      case VIR_DOMAIN_PAUSED:
      case VIR_DOMAIN_PMSUSPENDED:
        return DomainState.PAUSED;
      case VIR_DOMAIN_CRASHED:
        return DomainState.CRASHED;
      default:
        return DomainState.OTHER;
    }
  }

  static DomainEvent.Kind kindOf(DomainEventType type) {
    if (type == null) {
      return DomainEvent.Kind.OTHER;
    }
    switch (type) {
      case DEFINED:
        return DomainEvent.Kind.DEFINED;
      case UNDEFINED:
        return DomainEvent.Kind.UNDEFINED;
      case STARTED:
        return DomainEvent.Kind.STARTED;
      case SUSPENDED:
        return DomainEvent.Kind.SUSPENDED;
      case RESUMED:
        return DomainEvent.Kind.RESUMED;
      case STOPPED:
        return DomainEvent.Kind.STOPPED;
      case SHUTDOWN:
        return DomainEvent.Kind.SHUTDOWN;
      case PMSUSPENDED:
        return DomainEvent.Kind.PMSUSPENDED;
      case CRASHED:
        return DomainEvent.Kind.CRASHED;
      default:
        return DomainEvent.Kind.OTHER;
    }
  }

  private static String detailOf(org.libvirt.event.DomainEvent e) {
    try {
      Object detail = e.getDetail();
      return detail == null ? "UNKNOWN" : detail.toString();
    } catch (RuntimeException ex) {
      return "UNKNOWN";
    }
  }

  /** libvirt's {@code major * 1,000,000 + minor * 1,000 + release} as {@code major.minor.release}. */
  static String version(long v) {
    if (v < 0) {
      return "unknown";
    }
    return (v / 1_000_000) + "." + (v / 1_000 % 1_000) + "." + (v % 1_000);
  }

  /** The {@code <host><uuid>} of a capabilities document, if present. */
  static Optional<String> hostUuid(String capabilitiesXml) {
    String uuid = xpath(capabilitiesXml, "/capabilities/host/uuid");
    return uuid == null || uuid.isBlank() ? Optional.empty() : Optional.of(uuid.trim());
  }

  /** Whether a pool (by its XML) keeps volumes as files, where sparse allocation is the norm. */
  static boolean fileBased(String poolXml) {
    String type = xpath(poolXml, "/pool/@type");
    return "dir".equals(type) || "fs".equals(type) || "netfs".equals(type);
  }

  /**
   * The format of the volumes vguest creates in a pool (by its XML): qcow2 in file-based pools
   * (thin, and what QEMU is told it is), raw everywhere else (LVM, disk, iSCSI, RBD pools hold raw
   * data; their volume formats are not image formats).
   */
  static String blankFormat(String poolXml) {
    return fileBased(poolXml) ? QCOW2 : RAW;
  }

  /**
   * Volume XML: a thin qcow2 file in file-based pools; in other pools the pool's default format
   * (raw data) with the full allocation (a thin LVM volume would be a snapshot).
   */
  static String volumeXml(String name, long capacityBytes, String format) {
    boolean qcow2 = QCOW2.equals(format);
    return "<volume><name>"
        + escape(name)
        + "</name>"
        + (qcow2 ? "<allocation unit='bytes'>0</allocation>" : "")
        + "<capacity unit='bytes'>"
        + capacityBytes
        + "</capacity>"
        + (qcow2 ? "<target><format type='qcow2'/></target>" : "")
        + "</volume>";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;")
        .replace("\"", "&quot;");
  }

  private static String xpath(String xml, String expression) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
      return XPathFactory.newInstance().newXPath().evaluate(expression, doc);
    } catch (Exception e) {
      LOG.debug("cannot read {} from libvirt XML: {}", expression, e.getMessage());
      return null;
    }
  }

  private static void free(Domain d) {
    freeQuietly("domain", d == null ? null : d::free);
  }

  private static void free(StoragePool p) {
    freeQuietly("pool", p == null ? null : p::free);
  }

  private static void free(StorageVol v) {
    freeQuietly("volume", v == null ? null : v::free);
  }

  /** libvirt-java's handle types share no interface; each frees its native reference this way. */
  private interface NativeFree {
    int free() throws LibvirtException;
  }

  private static void freeQuietly(String what, NativeFree free) {
    if (free != null) {
      try {
        free.free();
      } catch (LibvirtException | RuntimeException e) {
        LOG.debug("freeing {} failed: {}", what, e.getMessage());
      }
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "LibvirtHypervisor[" + uri + (connected() ? ", connected" : ", disconnected") + "]";
  }
}
