package io.vguest.libvirt;

import io.vguest.libvirt.HypervisorException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.libvirt.Connect;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.event.ConnectionCloseListener;
import org.libvirt.event.ConnectionCloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shared libvirt connection, watched by a close listener and keepalives. When it is lost
 * every call fails at once with {@link Kind#CONNECTION_LOST} while a background thread reconnects
 * with exponential backoff, re-registers the lifecycle listener and then runs the reconnect
 * listeners so the caller can resync its guests.
 */
final class LibvirtConnection {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

  /** Opens a connection; injectable so tests can simulate failures. */
  @FunctionalInterface
  interface Factory {
    Connect open(String uri) throws Exception;
  }

  /** One piece of work on the live connection; libvirt's errors become {@link HypervisorException}s. */
  @FunctionalInterface
  interface Call<T> {
    T apply(Connect c) throws LibvirtException, NativeLibvirt.NativeError;
  }

  private static final int KEEPALIVE_INTERVAL_SECONDS = 5;
  private static final int KEEPALIVE_COUNT = 3;

  private final String uri;
  private final Factory factory;
  private final long initialBackoffMillis;
  private final long maxBackoffMillis;
  private final LibvirtLifecycleEvents events;

  /** Readers are calls in flight; the writer retires a connection once no call uses it. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicReference<Connect> current = new AtomicReference<>();
  private volatile boolean closed;

  private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService reconnector;
  private final ConnectionCloseListener closeListener = this::onClose;

  /**
   * Connects to {@code uri}. When the first attempt fails, the connection starts down and keeps
   * trying in the background; reconnect listeners run once it succeeds.
   */
  LibvirtConnection(
      String uri, Factory factory, Duration initialBackoff, Duration maxBackoff, LibvirtLifecycleEvents events) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.events = Objects.requireNonNull(events, "events");
    this.initialBackoffMillis = Math.max(1, initialBackoff.toMillis());
    this.maxBackoffMillis = Math.max(initialBackoffMillis, maxBackoff.toMillis());
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

  String uri() {
    return uri;
  }

  /**
   * Runs {@code fn} on the live connection. Fails at once with {@link Kind#CONNECTION_LOST} while
   * there is none; a libvirt error becomes a {@link HypervisorException} whose message starts
   * with {@code what}, and one that turns out to mean a dead connection starts the reconnect.
   */
  <T> T call(String what, Call<T> fn) {
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

  private HypervisorException translate(String what, Connect c, Error error, Exception cause) {
    boolean lost = LibvirtErrors.mayMeanConnectionLoss(LibvirtErrors.code(error)) && !alive(c);
    if (lost) {
      onConnectionLost(c);
    }
    return LibvirtErrors.exception(what, error, cause, lost);
  }

  private static boolean alive(Connect c) {
    try {
      return c.isAlive();
    } catch (LibvirtException | RuntimeException e) {
      return false;
    }
  }

  void addReconnectListener(Runnable listener) {
    reconnectListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  boolean connected() {
    return !closed && current.get() != null;
  }

  /** Waits until connected; true when connected within {@code timeout}. */
  boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!connected()) {
      if (closed || System.nanoTime() >= deadline) {
        return connected();
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Closes the connection and stops reconnecting; later calls fail with CONNECTION_LOST. */
  void close() {
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

  /** Test hook: treat the current connection as lost. */
  void onConnectionLost() {
    Connect c = current.get();
    if (c != null) {
      onConnectionLost(c);
    }
  }

  private void onClose(Connect conn, ConnectionCloseReason reason) {
    LOG.warn("libvirt connection to {} closed (reason {})", uri, reason);
    onConnectionLost(conn);
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
      c.addLifecycleListener(events.nativeListener());
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
        c.removeLifecycleListener(events.nativeListener());
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

  static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
