package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command as a newcomer runs it: the real bin/vguest, a process of its own, from
 * a clone of the repository. Standard output must be exactly the stamped manifests (so
 * {@code bin/vguest apply -f g.yaml > stamped.yaml} writes valid YAML), and a failure must be one
 * line on standard error with an exit code, never a stack trace.
 */
class FirstRunTest {

  /** Options that make the JVM look for libvirt's library where it is not, as on a machine without libvirt0. */
  static final String NO_LIBVIRT = "-Djna.library.path=/nonexistent -Djna.platform.library.path=/nonexistent";

  record Run(int exit, String out, String err) {}

  static Run run(Map<String, String> env, String command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(Repo.root().toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), command + " did not finish");
    return new Run(p.exitValue(), out, err.get());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The first `bin/vguest apply` command of the README's "Set up" section. */
  static String readmeFirstCommand() throws IOException {
    return Files.readAllLines(Repo.root().resolve("README.md")).stream()
        .filter(line -> line.startsWith("bin/vguest apply ")).findFirst().orElseThrow();
  }

  @Test
  void theReadmesFirstCommandPrintsOnlyTheStampedManifests() throws Exception {
    String command = readmeFirstCommand();
    assertEquals("bin/vguest apply -f examples/linux-guest.yaml -f examples/linux-profile.yaml", command);
    Run run = run(Map.of(), command);
    assertEquals(0, run.exit(), "stderr:\n" + run.err());
    assertTrue(!run.err().contains("\tat ") && !run.err().contains("Exception"), run.err());

    List<JsonNode> docs = Manifests.parse(run.out()).documents();
    assertEquals(1, docs.size(), run.out());
    assertStamped(docs.get(0));
    assertTrue(run.err().contains("demo/web-1: [DEFINED, STARTED], Ready=True"), "the summary goes to stderr: "
        + run.err());

    Run json = run(Map.of(), command + " -o json");
    assertEquals(0, json.exit(), json.err());
    JsonNode list = new ObjectMapper().readTree(json.out());
    assertEquals("List", list.path("kind").asText());
    assertEquals(1, list.path("items").size());
    assertStamped(list.path("items").get(0));
  }

  private static void assertStamped(JsonNode guest) {
    assertEquals("VirtualGuest", guest.path("kind").asText());
    assertEquals("web-1", guest.path("metadata").path("name").asText());
    JsonNode spec = guest.path("spec");
    assertEquals("demo/web-1", spec.path("identity").path("stampedFor").asText(), guest.toString());
    assertTrue(spec.path("firmware").path("uuid").asText().matches("[0-9a-f-]{36}"), guest.toString());
    assertEquals("virtio", spec.path("devices").path("diskBus").asText(), guest.toString());
    assertTrue(guest.path("status").path("conditions").toString().contains("\"Ready\""), guest.toString());
  }

  @Test
  void withoutLibvirtsLibraryTheCommandSaysWhatToInstallInOneLine() throws Exception {
    Run run = run(Map.of("VGUEST_JAVA_OPTS", NO_LIBVIRT), readmeFirstCommand());
    assertEquals(1, run.exit(), run.err());
    assertEquals("", run.out());
    // bin/vguest says so when it builds the jar on first use; the command's own output follows
    List<String> lines = run.err().lines().filter(l -> !l.equals("building vguest ...")).toList();
    assertEquals(1, lines.size(), "one line, no stack trace:\n" + run.err());
    assertEquals("vguest: error: libvirt's client library (libvirt.so.0) cannot be loaded: install it (Debian/Ubuntu: "
        + "apt-get install libvirt0; Fedora/RHEL: dnf install libvirt-libs), or run bin/vguest as root (or with "
        + "passwordless sudo) to have it installed (--debug shows details)", lines.get(0));

    Run debug = run(Map.of("VGUEST_JAVA_OPTS", NO_LIBVIRT), readmeFirstCommand() + " --debug");
    assertEquals(1, debug.exit());
    assertTrue(debug.err().contains("java.lang.UnsatisfiedLinkError: Unable to load library 'virt'"), debug.err());
  }
}
