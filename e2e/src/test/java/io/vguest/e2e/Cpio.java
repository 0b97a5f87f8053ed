package io.vguest.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs. Every entry is
 * owned by root with mtime 0, so the same input gives the same bytes. Parent directories are
 * added on first use.
 */
final class Cpio {

  private static final int DIR = 0040000;
  private static final int FILE = 0100000;
  private static final int SYMLINK = 0120000;
  private static final int CHAR_DEVICE = 0020000;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Set<String> directories = new LinkedHashSet<>();
  private int inode = 1;

  Cpio directory(String path) {
    String name = strip(path);
    if (name.isEmpty() || directories.contains(name)) {
      return this;
    }
    parents(name);
    directories.add(name);
    entry(name, DIR | 0755, 0, 0, new byte[0]);
    return this;
  }

  Cpio file(String path, int permissions, byte[] content) {
    String name = strip(path);
    parents(name);
    entry(name, FILE | permissions, 0, 0, content);
    return this;
  }

  Cpio symlink(String path, String target) {
    String name = strip(path);
    parents(name);
    entry(name, SYMLINK | 0777, 0, 0, target.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  Cpio charDevice(String path, int permissions, int major, int minor) {
    String name = strip(path);
    parents(name);
    entry(name, CHAR_DEVICE | permissions, major, minor, new byte[0]);
    return this;
  }

  /** The archive, closed with its trailer. */
  byte[] finish() {
    entry("TRAILER!!!", 0, 0, 0, new byte[0]);
    return out.toByteArray();
  }

  void writeTo(OutputStream target) {
    try {
      target.write(finish());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void parents(String name) {
    int slash = name.lastIndexOf('/');
    if (slash > 0) {
      directory(name.substring(0, slash));
    }
  }

  private static String strip(String path) {
    String name = path;
    while (name.startsWith("/")) {
      name = name.substring(1);
    }
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    return name;
  }

  private void entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data) {
    byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
    StringBuilder header = new StringBuilder("070701");
    long[] fields = {
        name.equals("TRAILER!!!") ? 0 : inode++, mode, 0, 0, (mode & DIR) == DIR ? 2 : 1, 0, data.length,
        0, 0, rdevMajor, rdevMinor, nameBytes.length, 0};
    for (long field : fields) {
      header.append(String.format("%08x", field));
    }
    write(header.toString().getBytes(StandardCharsets.US_ASCII));
    write(nameBytes);
    pad();
    write(data);
    pad();
  }

  private void write(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
  }

  private void pad() {
    while (out.size() % 4 != 0) {
      out.write(0);
    }
  }
}
