package io.vguest.guest;

import java.util.Optional;
import java.util.function.Function;

/**
 * Where a pool volume lives on the node, for the few places libvirt takes a path instead of a pool
 * volume (direct kernel boot), and the format a pool's blank volumes are created in. The node agent
 * asks libvirt; {@code vguest render} may be told.
 */
@FunctionalInterface
public interface VolumePaths {

  /** No paths known: a guest that needs one cannot be rendered. */
  VolumePaths NONE = (pool, volume) -> Optional.empty();

  /** The volume's path on the node, or empty when the pool holds no such volume. */
  Optional<String> pathOf(String pool, String volume);

  /**
   * The format vguest creates a blank disk's volume in, in this pool, and so declares in the domain
   * XML: {@code qcow2} in file-based pools (the default here: a directory pool), {@code raw} in
   * others (LVM, disk, iSCSI, RBD).
   */
  default String blankFormat(String pool) {
    return "qcow2";
  }

  /** Paths from {@code paths}, blank volume formats from {@code blankFormats} (pool name to format). */
  static VolumePaths of(VolumePaths paths, Function<String, String> blankFormats) {
    return of(paths, blankFormats, pool -> Optional.empty());
  }

  /**
   * Paths from {@code paths}, blank volume formats from {@code blankFormats}, pool directories
   * from {@code poolDirectories} (pool name to directory).
   */
  static VolumePaths of(VolumePaths paths, Function<String, String> blankFormats,
      Function<String, Optional<String>> poolDirectories) {
    return new VolumePaths() {
      @Override
      public Optional<String> pathOf(String pool, String volume) {
        return paths.pathOf(pool, volume);
      }

      @Override
      public String blankFormat(String pool) {
        return blankFormats.apply(pool);
      }

      @Override
      public Optional<String> poolDirectory(String pool) {
        return poolDirectories.apply(pool);
      }
    };
  }

  /**
   * The directory of a directory-like pool (dir, fs, netfs), for a volume libvirt creates itself
   * by path (the UEFI variable store); empty when unknown or when the pool keeps no files.
   */
  default Optional<String> poolDirectory(String pool) {
    return Optional.empty();
  }
}
