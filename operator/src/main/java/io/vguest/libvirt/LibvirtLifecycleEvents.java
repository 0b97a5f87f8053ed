package io.vguest.libvirt;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns libvirt's domain lifecycle events into {@link DomainEvent}s and hands them to the
 * listeners on one dedicated thread, in event order, so that a slow listener never blocks
 * libvirt's event loop. The connection registers {@link #nativeListener()} on every connection it
 * opens, so listeners keep receiving events across reconnects.
 */
final class LibvirtLifecycleEvents {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtLifecycleEvents.class);

  private final List<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(LibvirtConnection.daemonThreads("vguest-libvirt-events"));
  private final LifecycleListener nativeListener = this::onLifecycleEvent;

  void addListener(Consumer<DomainEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The listener to register with every libvirt connection (the same one, so it can be removed). */
  LifecycleListener nativeListener() {
    return nativeListener;
  }

  /** Stops dispatching; events already queued are still delivered. */
  void shutdown() {
    thread.shutdown();
  }

  private int onLifecycleEvent(Domain d, org.libvirt.event.DomainEvent e) {
    try {
      DomainEvent event =
          new DomainEvent(d.getName(), d.getUUIDString(), kindOf(e.getType()), detailOf(e));
      if (!listeners.isEmpty()) {
        thread.execute(() -> dispatch(event));
      }
    } catch (LibvirtException | RuntimeException ex) {
      LOG.warn("cannot handle libvirt lifecycle event {}: {}", e, ex.getMessage());
    } finally {
      LibvirtHandles.free(d);
    }
    return 0;
  }

  private void dispatch(DomainEvent event) {
    for (Consumer<DomainEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException ex) {
        LOG.warn("lifecycle listener failed on {}: {}", event, ex.getMessage(), ex);
      }
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
}
