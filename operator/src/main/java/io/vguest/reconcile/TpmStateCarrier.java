package io.vguest.reconcile;

import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a guest's emulated TPM between nodes. libvirt 9.0 keeps swtpm's state only on the node,
 * in {@code /var/lib/libvirt/swtpm/<domain uuid>/tpm2/}, and deletes it when the domain is
 * undefined; a guest that moved would find a new TPM (a new endorsement key: BitLocker asks for its
 * recovery key). So the agent saves that directory into a volume of the guest's pool whenever the
 * guest is shut off and before it undefines the domain, and puts it back before it defines the
 * domain on a node that does not have it. The volume is written and read through libvirt; only the
 * node's swtpm directory is touched directly.
 *
 * <p>Volume format: a header line {@code vguest-tpm-state v1 <sha256 of the rest>}, then for each
 * file a line {@code <name> <size>} and its bytes. A volume that fails its checksum is never
 * restored.
 */
public final class TpmStateCarrier {

  /** Where libvirt's QEMU driver keeps swtpm state on a node. */
  public static final Path DEFAULT_DIR = Path.of("/var/lib/libvirt/swtpm");

  static final int MAX_STATE_BYTES = 4 * 1024 * 1024;
  private static final String MAGIC = "vguest-tpm-state v1";
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Logger LOG = LoggerFactory.getLogger(TpmStateCarrier.class);

  private final Hypervisor hypervisor;
  private final Path swtpmDir;
  /** Checksum of what was last saved per domain uuid, so an unchanged state is not written again. */
  private final Map<String, String> saved = new ConcurrentHashMap<>();

  /** @param swtpmDir the node's swtpm state directory as this process sees it */
  public TpmStateCarrier(Hypervisor hypervisor, Path swtpmDir) {
    this.hypervisor = hypervisor;
    this.swtpmDir = swtpmDir;
  }

  public Path swtpmDir() {
    return swtpmDir;
  }

  /** The node-local state directory of a domain. */
  Path stateDir(String uuid) {
    if (!uuid.matches("[0-9a-f-]{36}")) {
      throw new IllegalArgumentException("not a lower-case uuid: " + uuid);
    }
    return swtpmDir.resolve(uuid).resolve("tpm2");
  }

  /**
   * Saves the node-local state of a shut-off domain into its volume, unless it is unchanged since
   * the last save by this agent.
   *
   * @return true when the volume was written, false when there was nothing (new) to save
   */
  public boolean save(String uuid, VolumeRef volume) {
    Map<String, byte[]> files = readState(stateDir(uuid));
    if (files.isEmpty()) {
      return false;
    }
    byte[] content = encode(files);
    String digest = sha256(content);
    if (digest.equals(saved.get(uuid))) {
      return false;
    }
    hypervisor.writeVolume(volume.pool(), volume.volume(), content);
    saved.put(uuid, digest);
    LOG.info("saved the TPM state of domain {} ({} files) into volume {}/{}", uuid, files.size(), volume.pool(),
        volume.volume());
    return true;
  }

  /**
   * Before a define on this node: replaces the node-local state with the one saved in the volume.
   *
   * @return true when a state was restored, false when the volume does not exist (a new TPM)
   */
  public boolean restore(String uuid, VolumeRef volume) {
    Optional<byte[]> content = hypervisor.readVolume(volume.pool(), volume.volume(), MAX_STATE_BYTES);
    if (content.isEmpty()) {
      return false;
    }
    Map<String, byte[]> files = decode(content.get(), volume);
    Path dir = stateDir(uuid);
    try {
      Files.createDirectories(dir.getParent());
      PosixFileAttributes owner = ownerTemplate(dir);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> old = Files.list(dir)) {
          for (Path p : old.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches()).toList()) {
            Files.delete(p);
          }
        }
      } else {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Path target = dir.resolve(file.getKey());
        Files.write(target, file.getValue());
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        chown(target, owner);
      }
      chown(dir, owner);
    } catch (IOException e) {
      throw new UncheckedIOException("restore TPM state of domain " + uuid + " into " + dir, e);
    }
    saved.put(uuid, sha256(content.get()));
    LOG.info("restored the TPM state of domain {} ({} files) from volume {}/{}", uuid, files.size(), volume.pool(),
        volume.volume());
    return true;
  }

  /** Forgets what was saved for a domain (after its volume was deleted). */
  public void forget(String uuid) {
    saved.remove(uuid);
  }

  /**
   * The owner swtpm runs as: taken from the state directories libvirt created on this node (it
   * creates them for its swtpm user); null when there are none yet (libvirt fixes the owner itself).
   */
  private PosixFileAttributes ownerTemplate(Path dir) throws IOException {
    Path candidate = Files.isDirectory(dir) ? dir : null;
    if (candidate == null) {
      try (Stream<Path> others = Files.list(swtpmDir)) {
        candidate = others.map(p -> p.resolve("tpm2")).filter(Files::isDirectory).findFirst().orElse(null);
      }
    }
    return candidate == null ? null
        : Files.getFileAttributeView(candidate, PosixFileAttributeView.class).readAttributes();
  }

  private static void chown(Path p, PosixFileAttributes owner) throws IOException {
    if (owner != null) {
      PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
      view.setOwner(owner.owner());
      view.setGroup(owner.group());
    }
  }

  /** The state files of a directory (swtpm's {@code tpm2-00.permall} and friends), without its lock file. */
  static Map<String, byte[]> readState(Path dir) {
    Map<String, byte[]> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p) && FILE_NAME.matcher(name).matches()) {
          files.put(name, Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("read TPM state in " + dir, e);
    }
    return files;
  }

  static byte[] encode(Map<String, byte[]> files) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
      body.writeBytes((file.getKey() + " " + file.getValue().length + "\n").getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(file.getValue());
    }
    byte[] rest = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((MAGIC + " " + sha256(rest) + "\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(rest);
    return out.toByteArray();
  }

  static Map<String, byte[]> decode(byte[] content, VolumeRef volume) {
    String where = "TPM state volume " + volume.pool() + "/" + volume.volume();
    int eol = indexOf(content, 0);
    String header = eol < 0 ? "" : new String(content, 0, eol, StandardCharsets.US_ASCII);
    if (!header.startsWith(MAGIC + " ")) {
      throw new HypervisorException(HypervisorException.Kind.INVALID_STATE, where + " is not a vguest TPM state");
    }
    byte[] rest = java.util.Arrays.copyOfRange(content, eol + 1, content.length);
    if (!header.substring(MAGIC.length() + 1).equals(sha256(rest))) {
      throw new HypervisorException(HypervisorException.Kind.INVALID_STATE, where + " fails its checksum; it is "
          + "not restored (the guest's TPM would be a different one)");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    int at = 0;
    while (at < rest.length) {
      int end = indexOf(rest, at);
      String[] entry = end < 0 ? new String[0] : new String(rest, at, end - at, StandardCharsets.US_ASCII).split(" ");
      if (entry.length != 2 || !FILE_NAME.matcher(entry[0]).matches() || !entry[1].matches("[0-9]{1,8}")
          || end + 1 + Integer.parseInt(entry[1]) > rest.length) {
        throw new HypervisorException(HypervisorException.Kind.INVALID_STATE, where + " is damaged");
      }
      int size = Integer.parseInt(entry[1]);
      files.put(entry[0], java.util.Arrays.copyOfRange(rest, end + 1, end + 1 + size));
      at = end + 1 + size;
    }
    return files;
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
