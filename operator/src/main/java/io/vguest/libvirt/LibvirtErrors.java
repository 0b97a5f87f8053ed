package io.vguest.libvirt;

import io.vguest.libvirt.HypervisorException.Kind;
import java.util.EnumSet;
import java.util.Set;
import org.libvirt.Error;
import org.libvirt.Error.ErrorNumber;

/** Maps libvirt's errors to {@link HypervisorException}s and their {@link HypervisorException.Kind}. */
final class LibvirtErrors {

  private static final Set<ErrorNumber> NOT_FOUND =
      EnumSet.of(
          ErrorNumber.VIR_ERR_NO_DOMAIN,
          ErrorNumber.VIR_ERR_NO_STORAGE_POOL,
          ErrorNumber.VIR_ERR_NO_STORAGE_VOL,
          ErrorNumber.VIR_ERR_NO_NETWORK,
          ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA,
          ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT,
          ErrorNumber.VIR_ERR_NO_SECRET,
          ErrorNumber.VIR_ERR_NO_NODE_DEVICE,
          ErrorNumber.VIR_ERR_NO_INTERFACE);

  private static final Set<ErrorNumber> CONNECTION_LOST =
      EnumSet.of(
          ErrorNumber.VIR_ERR_NO_CONNECT,
          ErrorNumber.VIR_ERR_INVALID_CONN,
          ErrorNumber.VIR_ERR_RPC,
          ErrorNumber.VIR_ERR_AUTH_FAILED,
          ErrorNumber.VIR_ERR_AUTH_CANCELLED,
          ErrorNumber.VIR_ERR_AUTH_UNAVAILABLE);

  private static final Set<ErrorNumber> INVALID_CONFIG =
      EnumSet.of(
          ErrorNumber.VIR_ERR_XML_ERROR,
          ErrorNumber.VIR_ERR_XML_DETAIL,
          ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA,
          ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
          ErrorNumber.VIR_ERR_INVALID_ARG,
          ErrorNumber.VIR_ERR_OS_TYPE,
          ErrorNumber.VIR_ERR_NO_OS,
          ErrorNumber.VIR_ERR_NO_NAME,
          ErrorNumber.VIR_ERR_NO_SOURCE,
          ErrorNumber.VIR_ERR_NO_TARGET,
          ErrorNumber.VIR_ERR_NO_KERNEL,
          ErrorNumber.VIR_ERR_INVALID_MAC,
          ErrorNumber.VIR_ERR_CPU_INCOMPATIBLE);

  private static final Set<ErrorNumber> CONFLICT =
      EnumSet.of(
          ErrorNumber.VIR_ERR_DOM_EXIST,
          ErrorNumber.VIR_ERR_STORAGE_VOL_EXIST,
          ErrorNumber.VIR_ERR_NETWORK_EXIST);

  private static final Set<ErrorNumber> INVALID_STATE =
      EnumSet.of(
          ErrorNumber.VIR_ERR_OPERATION_INVALID,
          ErrorNumber.VIR_ERR_RESOURCE_BUSY,
          ErrorNumber.VIR_ERR_OPERATION_DENIED);

  /**
   * Codes a broken connection can show up as (the remote driver reports a dead socket as a system
   * or internal error); for these the caller checks whether the connection is still alive.
   */
  private static final Set<ErrorNumber> MAYBE_CONNECTION =
      EnumSet.of(
          ErrorNumber.VIR_ERR_SYSTEM_ERROR,
          ErrorNumber.VIR_ERR_INTERNAL_ERROR,
          ErrorNumber.VIR_ERR_OPERATION_FAILED,
          ErrorNumber.VIR_ERR_OPERATION_TIMEOUT);

  private LibvirtErrors() {}

  /**
   * The exception a failed call throws: its message is {@code what} and libvirt's message, its
   * kind follows the error code (a duplicate name or uuid is a conflict whatever the code says),
   * and it is {@link Kind#CONNECTION_LOST} when the caller found the connection dead.
   */
  static HypervisorException exception(String what, Error error, Exception cause, boolean connectionLost) {
    ErrorNumber code = code(error);
    Kind kind = kindOf(code);
    if (isDuplicate(error)) {
      kind = Kind.CONFLICT;
    }
    if (connectionLost) {
      kind = Kind.CONNECTION_LOST;
    }
    String message = what + ": " + message(error, cause);
    return new HypervisorException(kind, message, code == null ? null : code.name(), cause);
  }

  static Kind kindOf(ErrorNumber code) {
    if (code == null) {
      return Kind.OTHER;
    }
    if (NOT_FOUND.contains(code)) {
      return Kind.NOT_FOUND;
    }
    if (CONNECTION_LOST.contains(code)) {
      return Kind.CONNECTION_LOST;
    }
    if (INVALID_CONFIG.contains(code)) {
      return Kind.INVALID_CONFIG;
    }
    if (CONFLICT.contains(code)) {
      return Kind.CONFLICT;
    }
    if (INVALID_STATE.contains(code)) {
      return Kind.INVALID_STATE;
    }
    return Kind.OTHER;
  }

  static boolean mayMeanConnectionLoss(ErrorNumber code) {
    return code == null || MAYBE_CONNECTION.contains(code) || CONNECTION_LOST.contains(code);
  }

  /**
   * libvirt reports a name or uuid clash on define ("domain 'x' is already defined with uuid ...",
   * "domain 'x' already exists with uuid ...") and an existing volume in some drivers with the
   * generic VIR_ERR_OPERATION_FAILED; only the (untranslated, LANG=C) message tells them apart.
   */
  static boolean isDuplicate(Error error) {
    if (error == null || error.getCode() != ErrorNumber.VIR_ERR_OPERATION_FAILED) {
      return false;
    }
    String m = error.getMessage();
    return m != null && (m.contains("already defined") || m.contains("already exists"));
  }

  static ErrorNumber code(Error error) {
    return error == null ? null : error.getCode();
  }

  static String message(Error error, Throwable fallback) {
    if (error != null && error.getMessage() != null) {
      return error.getMessage();
    }
    return fallback == null ? "unknown libvirt error" : String.valueOf(fallback.getMessage());
  }

  static boolean is(Error error, ErrorNumber code) {
    return error != null && error.getCode() == code;
  }
}
