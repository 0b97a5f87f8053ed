package io.vguest.identity;

import io.vguest.devices.DeviceRules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Derives a guest's generated identity from the cluster's identity seed and the guest's namespace
 * and name, so that re-creating a guest from the same manifest, or restoring it into a cluster
 * configured with the same seed, yields the same values. Values are computed once and stamped into
 * the guest's spec; this class is never asked again for a guest that already has them.
 *
 * <p>Every value is a keyed SHA-256 of (seed, purpose, namespace, name[, device]) with unambiguous
 * length-prefixed encoding, so "a/bc" and "ab/c" never meet.
 */
public final class IdentityGenerator {

  /** Base32 without padding: upper-case letters and digits, all safe on every disk bus. */
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  /** virtio-blk, sata and ide show 20 characters; a generated serial fits all of them. */
  public static final int DISK_SERIAL_LENGTH = DeviceRules.SHORT_SERIAL_MAX;

  private final byte[] seed;

  public IdentityGenerator(String seed) {
    if (seed == null || seed.isBlank()) {
      throw new IllegalArgumentException("identity seed must not be empty");
    }
    this.seed = seed.getBytes(StandardCharsets.UTF_8);
  }

  /** Firmware and domain UUID: a name-based (version 5 layout) UUID. */
  public String firmwareUuid(String namespace, String name) {
    return uuidFrom(digest("firmware-uuid", namespace, name));
  }

  /** SMBIOS system serial for the unique policy: a UUID-shaped value distinct from the firmware uuid. */
  public String systemSerial(String namespace, String name) {
    return uuidFrom(digest("system-serial", namespace, name));
  }

  /** Disk serial: 20 base32 characters (100 bits), shown whole on every bus. */
  public String diskSerial(String namespace, String name, String disk) {
    byte[] hash = digest("disk-serial", namespace, name, disk);
    StringBuilder serial = new StringBuilder(DISK_SERIAL_LENGTH);
    long bits = 0;
    int available = 0;
    int index = 0;
    while (serial.length() < DISK_SERIAL_LENGTH) {
      if (available < 5) {
        bits = (bits << 8) | (hash[index++] & 0xff);
        available += 8;
      }
      serial.append(BASE32[(int) (bits >> (available - 5)) & 31]);
      available -= 5;
    }
    return serial.toString();
  }

  /**
   * MAC address in the locally administered unicast range (x2:, x6:, xA:, xE:), 46 derived bits,
   * instead of QEMU's 52:54:00 prefix whose 24 free bits collide after a few thousand guests.
   */
  public String macAddress(String namespace, String name, String nic) {
    byte[] hash = digest("mac-address", namespace, name, nic);
    byte[] mac = new byte[6];
    System.arraycopy(hash, 0, mac, 0, 6);
    mac[0] = (byte) ((mac[0] & 0xfc) | 0x02);
    StringBuilder text = new StringBuilder(17);
    for (int i = 0; i < mac.length; i++) {
      if (i > 0) {
        text.append(':');
      }
      text.append(String.format(Locale.ROOT, "%02x", mac[i] & 0xff));
    }
    return text.toString();
  }

  /**
   * VM generation ID (libvirt's genid) for the given count of declared restores: the same for the
   * same guest and count, so a re-created guest keeps it and each declared restore gets a new one.
   */
  public String generationId(String namespace, String name, int restoreGeneration) {
    return uuidFrom(digest("generation-id", namespace, name, Integer.toString(restoreGeneration)));
  }

  /**
   * Disk WWN: 16 hex digits in the NAA 5 (IEEE registered) layout, NAA nibble 5, then a 24-bit
   * company id with its locally assigned bit set (like a locally administered MAC, it can name no
   * vendor's real range: IEEE's CID layout, whose first octet ends in binary 1010), then 36
   * derived bits.
   */
  public String diskWwn(String namespace, String name, String disk) {
    byte[] hash = digest("disk-wwn", namespace, name, disk);
    long bits = ByteBuffer.wrap(hash, 0, 8).getLong();
    long companyId = ((bits >>> 40) & 0xf0ffffL) | 0x0a0000L;
    long vendor = bits & 0xfffffffffL;
    long wwn = (0x5L << 60) | (companyId << 36) | vendor;
    return String.format(Locale.ROOT, "%016x", wwn);
  }

  /**
   * An opaque id shared by the guests of one namespace on one node, so guests can tell co-location
   * without learning which node they are on (Nova's hashed host id).
   */
  public String hostId(String node, String namespace) {
    byte[] hash = digest("host-id", node, namespace);
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 14; i++) {
      hex.append(String.format(Locale.ROOT, "%02x", hash[i] & 0xff));
    }
    return hex.toString();
  }

  private byte[] digest(String purpose, String... parts) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(sha, seed);
    update(sha, purpose.getBytes(StandardCharsets.UTF_8));
    for (String part : parts) {
      update(sha, Objects.requireNonNull(part).getBytes(StandardCharsets.UTF_8));
    }
    return sha.digest();
  }

  private static void update(MessageDigest sha, byte[] bytes) {
    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }

  private static String uuidFrom(byte[] hash) {
    ByteBuffer buffer = ByteBuffer.wrap(hash, 0, 16);
    long msb = buffer.getLong();
    long lsb = buffer.getLong();
    msb = (msb & ~0xF000L) | 0x5000L; // version 5 layout (name-based, SHA)
    lsb = (lsb & ~(0xC000000000000000L)) | 0x8000000000000000L; // IETF variant
    return new UUID(msb, lsb).toString();
  }
}
