package io.vguest.libvirt;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases libvirt-java's native handles. Every handle a call looks up is freed when the call is
 * done, also when it fails; a failure to free is logged, never thrown over the call's own outcome.
 */
final class LibvirtHandles {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtHandles.class);

  private LibvirtHandles() {}

  static void free(Domain d) {
    freeQuietly("domain", d == null ? null : d::free);
  }

  static void free(StoragePool p) {
    freeQuietly("pool", p == null ? null : p::free);
  }

  static void free(StorageVol v) {
    freeQuietly("volume", v == null ? null : v::free);
  }

  static void free(Stream stream) {
    if (stream != null) {
      try {
        stream.free();
      } catch (LibvirtException | RuntimeException ignored) {
        // already finished or aborted; nothing left to release
      }
    }
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
}
