package io.vguest.e2e;

import io.vguest.libvirt.DomainState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Reads a guest's serial console file until the guest's report is complete. */
final class GuestConsole {

  /** A boot under software emulation takes about 10 s; two at once on two busy cores take longer. */
  static final Duration REPORT_TIMEOUT = Duration.ofSeconds(240);

  private GuestConsole() {}

  static GuestReport await(E2eNode node, String domain, Path console) {
    Instant deadline = Instant.now().plus(REPORT_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      String text = read(console);
      if (GuestReport.complete(text)) {
        return GuestReport.parse(text);
      }
      if (text.contains("Kernel panic")) {
        throw new AssertionError("guest " + domain + " on " + node + " panicked; console " + console + ":\n"
            + tail(text));
      }
      DomainState state = node.hypervisor().lookup(domain).map(d -> d.state()).orElse(null);
      if (state != DomainState.RUNNING && state != DomainState.OTHER) {
        throw new AssertionError("guest " + domain + " on " + node + " is " + state + " before it reported; "
            + "console " + console + ":\n" + tail(text));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + domain, e);
      }
    }
    throw new AssertionError("guest " + domain + " on " + node + " did not report within " + REPORT_TIMEOUT
        + "; console " + console + ":\n" + tail(read(console)) + "\nQEMU log: " + node.daemon.qemuLogDir()
        .resolve(domain + ".log"));
  }

  static String read(Path console) {
    try {
      return Files.exists(console) ? new String(Files.readAllBytes(console), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
