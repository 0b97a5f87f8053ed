package io.vguest.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import org.libvirt.Connect;
import org.libvirt.Error;
import org.libvirt.jna.virError;

/**
 * The few libvirt functions libvirt-java 0.5.4 does not wrap, called through JNA on the same
 * native connection: {@code virConnectGetDomainCapabilities} and {@code virDomainDefineXMLFlags}
 * (for {@code VIR_DOMAIN_DEFINE_VALIDATE}).
 */
final class NativeLibvirt {

  static final int VIR_DOMAIN_DEFINE_VALIDATE = 1;

  /** A native call failed; carries libvirt's last error of this thread. */
  static final class NativeError extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Error error;

    NativeError(String what, Error error) {
      super(what + ": " + (error == null ? "unknown libvirt error" : error.getMessage()));
      this.error = error;
    }

    Error error() {
      return error;
    }
  }

  /** Raw bindings. */
  interface Lib extends com.sun.jna.Library {
    Pointer virConnectGetDomainCapabilities(
        Pointer conn, String emulatorbin, String arch, String machine, String virttype, int flags);

    Pointer virDomainDefineXMLFlags(Pointer conn, String xml, int flags);

    int virDomainGetUUIDString(Pointer domain, byte[] buf);

    int virDomainFree(Pointer domain);
  }

  private static volatile Lib lib;
  private static volatile Field connectionField;
  private static volatile boolean unavailable;

  private NativeLibvirt() {}

  /** Whether the bindings and libvirt-java's connection pointer are reachable. */
  static boolean available(Connect conn) {
    try {
      return !unavailable && lib() != null && pointer(conn) != null;
    } catch (RuntimeException | LinkageError e) {
      unavailable = true;
      return false;
    }
  }

  /** {@code virConnectGetDomainCapabilities}; null arguments take the driver's defaults. */
  static String domainCapabilities(Connect conn, String machine, String virtType)
      throws NativeError {
    Pointer p = lib().virConnectGetDomainCapabilities(pointer(conn), null, null, machine, virtType, 0);
    if (p == null) {
      throw new NativeError("get domain capabilities", lastError());
    }
    try {
      return p.getString(0, StandardCharsets.UTF_8.name());
    } finally {
      Native.free(Pointer.nativeValue(p));
    }
  }

  /** {@code virDomainDefineXMLFlags}; returns the uuid of the defined domain. */
  static String defineXml(Connect conn, String xml, int flags) throws NativeError {
    Pointer dom = lib().virDomainDefineXMLFlags(pointer(conn), xml, flags);
    if (dom == null) {
      throw new NativeError("define domain", lastError());
    }
    try {
      byte[] buf = new byte[37 + 3];
      if (lib().virDomainGetUUIDString(dom, buf) < 0) {
        throw new NativeError("read uuid of defined domain", lastError());
      }
      int len = 0;
      while (len < buf.length && buf[len] != 0) {
        len++;
      }
      return new String(buf, 0, len, StandardCharsets.US_ASCII);
    } finally {
      lib().virDomainFree(dom);
    }
  }

  private static Lib lib() {
    Lib l = lib;
    if (l == null) {
      synchronized (NativeLibvirt.class) {
        if (lib == null) {
          lib = Native.load("virt", Lib.class);
        }
        l = lib;
      }
    }
    return l;
  }

  private static Pointer pointer(Connect conn) {
    try {
      Field f = connectionField;
      if (f == null) {
        f = findField();
        connectionField = f;
      }
      PointerType pt = (PointerType) f.get(conn);
      if (pt == null || pt.getPointer() == null) {
        throw new IllegalStateException("connection is closed");
      }
      return pt.getPointer();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach libvirt-java's connection pointer", e);
    }
  }

  private static Field findField() throws NoSuchFieldException {
    for (String name : new String[] {"vcp", "VCP"}) {
      try {
        Field f = Connect.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException e) {
        // try the next spelling (it changed between libvirt-java releases)
      }
    }
    throw new NoSuchFieldException("Connect.vcp");
  }

  private static Error lastError() {
    virError err = org.libvirt.jna.Libvirt.INSTANCE.virGetLastError();
    return err == null ? null : new Error(err);
  }
}
