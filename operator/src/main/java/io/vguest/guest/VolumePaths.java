package io.vguest.guest;

import java.util.Optional;

/**
 * Where a pool volume lives on the node, for the few places libvirt takes a path instead of a pool
 * volume (direct kernel boot). The node agent asks libvirt; {@code vguest render} may be told.
 */
@FunctionalInterface
public interface VolumePaths {

  /** No paths known: a guest that needs one cannot be rendered. */
  VolumePaths NONE = (pool, volume) -> Optional.empty();

  /** The volume's path on the node, or empty when the pool holds no such volume. */
  Optional<String> pathOf(String pool, String volume);

  /**
   * The directory of a directory-like pool (dir, fs, netfs), for a volume libvirt creates itself
   * by path (the UEFI variable store); empty when unknown or when the pool keeps no files.
   */
  default Optional<String> poolDirectory(String pool) {
    return Optional.empty();
  }
}
