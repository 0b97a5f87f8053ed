package io.vguest.libvirt;

import static io.vguest.libvirt.LibvirtHandles.free;

import io.vguest.domain.xml.Pool;
import io.vguest.domain.xml.StorageVolume;
import io.vguest.libvirt.HypervisorException.Kind;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;

/**
 * The storage half of the {@link Hypervisor} port: vguest's own volumes (blank disks, TPM state)
 * in the node's pools, and what it needs to know about a pool (its blank volume format, its
 * directory). A volume a lookup misses is looked up again after a pool refresh, because an admin
 * may have placed it there outside libvirt.
 */
final class LibvirtVolumes {

  /** Chunk size of the streams that read and write a volume's content. */
  private static final int STREAM_CHUNK = 64 * 1024;

  @FunctionalInterface
  private interface PoolCall<T> {
    T apply(StoragePool p) throws LibvirtException;
  }

  private final LibvirtConnection connection;
  /** Blank volume format per pool name: a pool's type does not change while it keeps its name. */
  private final Map<String, String> blankFormats = new ConcurrentHashMap<>();

  LibvirtVolumes(LibvirtConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  void createVolume(String pool, String volumeName, long capacityBytes) {
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

  String blankVolumeFormat(String pool) {
    String known = blankFormats.get(pool);
    if (known != null) {
      return known;
    }
    String format = withPool("read the type of pool '" + pool + "'", pool, p -> blankFormat(p.getXMLDesc(0)));
    blankFormats.put(pool, format);
    return format;
  }

  boolean deleteVolume(String pool, String volumeName) {
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

  boolean volumeExists(String pool, String volumeName) {
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

  Optional<String> volumePath(String pool, String volumeName) {
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

  Optional<String> poolDirectory(String pool) {
    return withPool(
        "read the directory of pool '" + pool + "'",
        pool,
        p -> {
          Pool described = pool(p.getXMLDesc(0));
          return described.fileBased() && described.targetPath() != null
              ? Optional.of(described.targetPath())
              : Optional.<String>empty();
        });
  }

  Optional<byte[]> readVolume(String pool, String volumeName, int maxBytes) {
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
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) capacity);
            byte[] buffer = new byte[STREAM_CHUNK];
            for (int n = stream.receive(buffer); n > 0; n = stream.receive(buffer)) {
              out.write(buffer, 0, n);
            }
            stream.finish();
            return Optional.of(out.toByteArray());
          } finally {
            free(stream);
            free(v);
          }
        });
  }

  void writeVolume(String pool, String volumeName, byte[] content) {
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
              int n = stream.send(Arrays.copyOfRange(content, off, Math.min(content.length, off + STREAM_CHUNK)));
              if (n <= 0) {
                throw new HypervisorException(Kind.OTHER, "write volume '" + volumeName + "': stream refused data");
              }
              off += n;
            }
            stream.finish();
            return null;
          } finally {
            free(stream);
            free(v);
          }
        });
  }

  private <T> T withPool(String what, String pool, PoolCall<T> fn) {
    Objects.requireNonNull(pool, "pool");
    return connection.call(
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

  /** A pool's description read by the domain model; an unreadable one is a pool of no known type. */
  private static Pool pool(String poolXml) {
    try {
      return Pool.parse(poolXml);
    } catch (IllegalArgumentException unreadable) {
      return new Pool(null, null);
    }
  }

  /** Whether a pool (by its XML) keeps volumes as files, where sparse allocation is the norm. */
  static boolean fileBased(String poolXml) {
    return pool(poolXml).fileBased();
  }

  /**
   * The format of the volumes vguest creates in a pool (by its XML): qcow2 in file-based pools
   * (thin, and what QEMU is told it is), raw everywhere else (LVM, disk, iSCSI, RBD pools hold raw
   * data; their volume formats are not image formats).
   */
  static String blankFormat(String poolXml) {
    return pool(poolXml).blankFormat();
  }

  /**
   * Volume XML: a thin qcow2 file in file-based pools; in other pools the pool's default format
   * (raw data) with the full allocation (a thin LVM volume would be a snapshot).
   */
  static String volumeXml(String name, long capacityBytes, String format) {
    return StorageVolume.blank(name, capacityBytes, format).toXml();
  }
}
