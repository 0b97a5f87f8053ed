package io.vguest.libvirt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one narrow port between vguest and the node's hypervisor. Implementations are thread-safe.
 *
 * <p>Every method throws {@link HypervisorException}; while the connection is down every call
 * fails at once with kind {@link HypervisorException.Kind#CONNECTION_LOST} (the caller retries the
 * guest later), and the implementation reconnects in the background.
 */
public interface Hypervisor extends AutoCloseable {

  /** XML namespace of the metadata element vguest writes into every domain it defines. */
  String VGUEST_NAMESPACE = "https://vguest.io/xmlns/domain/v1";

  /** Preferred prefix for {@link #VGUEST_NAMESPACE}. */
  String VGUEST_PREFIX = "vguest";

  /** The domain with this name, or empty when there is none. */
  Optional<DomainView> lookup(String domainName);

  /** Every domain of the node, running or not, vguest's or not. */
  List<DomainView> listAll();

  /**
   * Defines (or redefines) a persistent domain from the complete XML, validated against libvirt's
   * schema where the library allows it. A redefine replaces the whole config, metadata included.
   *
   * @return the defined domain
   */
  DomainView define(String domainXml);

  /**
   * Removes the domain's persistent config, its managed-save image, snapshot and checkpoint
   * metadata. Keeps its NVRAM file (vguest's is a pool volume that moves with the guest); libvirt
   * deletes the node-local TPM state, so save it first. Never deletes a disk or volume. A running domain
   * keeps running as a transient domain until it stops.
   *
   * @return false when there was no such domain
   */
  boolean undefine(String domainName);

  /** Starts a defined domain; does nothing when it is already running. */
  void start(String domainName);

  /**
   * Asks the guest to power off (ACPI), waits up to {@code grace} for it to reach shut off, then
   * forces it off.
   *
   * @return true when the guest stopped by itself (or was not running), false when it was forced
   */
  boolean shutdown(String domainName, Duration grace);

  /** Forces the domain off (pulls the plug); does nothing when it is not running. */
  void destroy(String domainName);

  /** The persistent (inactive) config XML, as libvirt stores it, defaults and addresses included. */
  String dumpXml(String domainName);

  /**
   * The metadata element in {@code namespaceUri} of the persistent config (the live one for a
   * transient domain), without its namespace prefix; empty when the domain has none.
   */
  Optional<String> metadata(String domainName, String namespaceUri);

  /** The host capabilities XML ({@code virsh capabilities}). */
  String hostCapabilitiesXml();

  /**
   * The domain capabilities XML for a machine type and virt type ({@code virsh domcapabilities}),
   * e.g. ({@code "q35"}, {@code "qemu"}); null arguments take the driver's default. Empty when the
   * driver does not support domain capabilities (the test driver).
   */
  Optional<String> domainCapabilitiesXml(String machineType, String virtType);

  /** Library, daemon and hypervisor versions and the host uuid. */
  HostFacts hostFacts();

  /** Format of blank volumes in a file-based pool (dir, fs, netfs): thin, and what QEMU is told. */
  String QCOW2 = "qcow2";

  /** Format of blank volumes in any other pool (logical, disk, iscsi, rbd, ...): the pool's raw data. */
  String RAW = "raw";

  /**
   * Creates a volume of {@code capacityBytes} in an active pool, in the format
   * {@link #blankVolumeFormat} names for the pool (a thin qcow2 file in file-based pools). Only for
   * volumes vguest owns (blank disks); vguest deletes only volumes it created itself.
   */
  void createVolume(String pool, String volumeName, long capacityBytes);

  /**
   * The format {@link #createVolume} creates volumes in, in this pool: {@link #QCOW2} in file-based
   * pools (dir, fs, netfs), {@link #RAW} in every other pool; the domain XML declares the same.
   */
  String blankVolumeFormat(String pool);

  /**
   * Deletes a volume vguest created with {@link #createVolume}. Never call it for a volume vguest
   * did not create (an external volume, an image the admin placed there).
   *
   * @return false when there was no such volume
   */
  boolean deleteVolume(String pool, String volumeName);

  /** Whether the pool holds a volume with this name (refreshes the pool once before saying no). */
  boolean volumeExists(String pool, String volumeName);

  /**
   * The path of a volume on the node (for direct kernel boot, where libvirt takes a path, not a pool
   * volume); empty when the pool holds no such volume (after refreshing the pool once).
   */
  Optional<String> volumePath(String pool, String volumeName);

  /**
   * The directory of a directory-like pool (dir, fs, netfs) on the node; empty for pools that keep
   * no files (LVM, iSCSI, ...). libvirt creates a UEFI guest's variable store there by path.
   */
  default Optional<String> poolDirectory(String pool) {
    return Optional.empty();
  }

  /**
   * The whole content of a small volume vguest owns (a TPM state), read through libvirt; empty when
   * there is no such volume. Fails when the volume is larger than {@code maxBytes}.
   */
  default Optional<byte[]> readVolume(String pool, String volumeName, int maxBytes) {
    throw new HypervisorException(HypervisorException.Kind.OTHER, "reading volumes is not supported here");
  }

  /**
   * Writes a small volume vguest owns whole (created, or re-created at the new size). Only for
   * volumes vguest created; never for a volume it did not.
   */
  default void writeVolume(String pool, String volumeName, byte[] content) {
    throw new HypervisorException(HypervisorException.Kind.OTHER, "writing volumes is not supported here");
  }

  /**
   * Receives every domain lifecycle event of the node (also after a reconnect). Listeners run on
   * one dedicated thread, in event order; they must not block for long.
   */
  void addLifecycleListener(Consumer<DomainEvent> listener);

  /**
   * Runs each time a connection is established after it was lost (or after the first attempt
   * failed), so the caller can resync every guest of the node: events may have been missed.
   */
  void addReconnectListener(Runnable listener);

  /** Whether there is a live connection right now. */
  boolean connected();

  /** Closes the connection and stops reconnecting; later calls fail with CONNECTION_LOST. */
  @Override
  void close();
}
