package io.vguest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/** Unpacks the API server's archive once per build, even when several test JVMs ask at the same time. */
final class Unpacker {

  private Unpacker() {}

  /** Unpacks {@code archive} into {@code into} unless an earlier run did; returns {@code into}. */
  static Path unpackOnce(Path archive, Path into) {
    Path done = into.resolve(archive.getFileName() + ".unpacked");
    try {
      Files.createDirectories(into);
      try (FileChannel lock = FileChannel.open(into.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); var held = lock.lock()) {
        if (Files.exists(done)) {
          return into;
        }
        Process tar = new ProcessBuilder("tar", "-xJf", archive.toString(), "-C", into.toString())
            .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
          throw new IllegalStateException("cannot unpack " + archive + " into " + into + ": " + output);
        }
        Files.writeString(done, archive.toString());
        return into;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + archive + " into " + into, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking " + archive, e);
    }
  }
}
