package io.vguest.libvirt;

import com.sun.jna.Pointer;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide libvirt event loop: registered once before the first connection is opened, run
 * by one daemon thread. It delivers domain events, close callbacks and keepalives.
 */
public final class LibvirtEventLoop {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtEventLoop.class);

  /** Keeps libvirt from printing every error to stderr; errors reach callers as exceptions. */
  private static final Libvirt.VirErrorCallback QUIET_ERRORS =
      new Libvirt.VirErrorCallback() {
        @Override
        public void errorCallback(Pointer userData, virError error) {
          if (LOG.isTraceEnabled() && error != null) {
            LOG.trace("libvirt error {}: {}", error.code, error.message);
          }
        }
      };

  private static boolean started;
  private static volatile Thread loop;

  private LibvirtEventLoop() {}

  /** Whether the event loop thread runs (false before the first connection and after it died). */
  public static boolean alive() {
    Thread t = loop;
    return t != null && t.isAlive();
  }

  /** Starts the event loop once per process; later calls do nothing. */
  static synchronized void ensureStarted() {
    if (started) {
      return;
    }
    try {
      Connect.setErrorCallback(QUIET_ERRORS);
      Library.initEventLoop();
    } catch (LibvirtException e) {
      throw new HypervisorException(
          HypervisorException.Kind.OTHER,
          "cannot start the libvirt event loop: " + e.getMessage(),
          LibvirtErrors.code(e.getError()) == null ? null : e.getError().getCode().name(),
          e);
    }
    Thread t =
        new Thread(
            () -> {
              try {
                Library.runEventLoop();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (LibvirtException | RuntimeException e) {
                LOG.error("libvirt event loop stopped: {}", e.getMessage(), e);
              }
            },
            "libvirt-event-loop");
    t.setDaemon(true);
    t.start();
    loop = t;
    started = true;
    LOG.debug("libvirt event loop started");
  }
}
