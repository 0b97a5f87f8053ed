package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs libvirt's own schema check, {@code virt-xml-validate <file> domain}. A missing binary is a
 * failure, not a skip: {@code bin/test} installs it (libvirt-clients, libxml2-utils).
 */
public final class VirtXmlValidate {

  static final String BINARY = "virt-xml-validate";

  private VirtXmlValidate() {}

  /** Asserts that a domain XML file passes the schema; the tool's output is in the failure message. */
  public static void assertValidDomain(Path file) {
    String binary = locate();
    try {
      Process process = new ProcessBuilder(binary, file.toString(), "domain").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(BINARY + " " + file + " did not finish within 60 s");
      }
      assertEquals(0, process.exitValue(), () -> file + " is refused by libvirt's domain schema:\n" + output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes the XML to a temporary file and validates it there. */
  public static void assertValidDomain(String xml, String name) {
    try {
      Path file = Files.createTempFile("vguest-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".xml");
      try {
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        assertValidDomain(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String locate() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, BINARY);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    fail(BINARY + " not found on PATH. Run bin/test, which installs it (Debian packages libvirt-clients and "
        + "libxml2-utils), or install them yourself: apt-get install --no-install-recommends libvirt-clients "
        + "libxml2-utils");
    return null;
  }
}
