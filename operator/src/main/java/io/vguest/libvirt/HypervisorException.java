package io.vguest.libvirt;

import java.util.Objects;

/** A hypervisor call failed. The message includes libvirt's own message. */
public class HypervisorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of failure it was, so callers can decide whether and when to retry. */
  public enum Kind {
    /** The domain, pool or volume does not exist. */
    NOT_FOUND,
    /**
     * There is no connection to libvirt right now (lost, being re-established, or closed). Retry
     * later; the hypervisor reconnects on its own.
     */
    CONNECTION_LOST,
    /** libvirt rejected the XML or an argument: retrying the same input will fail again. */
    INVALID_CONFIG,
    /** Another domain or volume already has this name or uuid. */
    CONFLICT,
    /** The object is in a state that does not allow the operation (e.g. pool not active). */
    INVALID_STATE,
    /** Anything else. */
    OTHER
  }

  private final Kind kind;
  private final String libvirtCode;

  public HypervisorException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public HypervisorException(Kind kind, String message, String libvirtCode, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.libvirtCode = libvirtCode;
  }

  public Kind kind() {
    return kind;
  }

  /** libvirt's error code name (e.g. {@code VIR_ERR_NO_DOMAIN}), or null when not from libvirt. */
  public String libvirtCode() {
    return libvirtCode;
  }

  public boolean is(Kind k) {
    return kind == k;
  }
}
