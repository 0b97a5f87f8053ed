package io.vguest.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands with a time limit, capturing their output. */
final class Commands {

  private Commands() {}

  /** What a finished command left behind. */
  record Result(List<String> command, int exit, String output) {
    boolean ok() {
      return exit == 0;
    }

    /** The output, or a failure naming the command, its exit code and output. */
    String orThrow() {
      if (!ok()) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ": " + output.strip());
      }
      return output;
    }
  }

  /** Runs {@code command} in {@code dir} (null: the current directory), stdout and stderr together. */
  static Result run(Path dir, Duration timeout, String... command) {
    List<String> argv = List.of(command);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Path out;
    try {
      out = Files.createTempFile("vguest-e2e-cmd", ".out");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      builder.redirectOutput(out.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(argv, -1, "timed out after " + timeout + ": " + Files.readString(out,
            StandardCharsets.UTF_8));
      }
      return new Result(argv, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(argv, -1, "could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(argv, -1, "interrupted");
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException ignored) {
        // a temporary file
      }
    }
  }

  static Result run(Duration timeout, String... command) {
    return run(null, timeout, command);
  }

  /** Whether an executable of this name is on the PATH (or in the sbin directories). */
  static boolean onPath(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).anyMatch(Files::isExecutable);
  }

  /** The full path of an executable, preferring the PATH, then the sbin directories. */
  static String which(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable)
        .findFirst().map(Path::toString).orElse(name);
  }
}
