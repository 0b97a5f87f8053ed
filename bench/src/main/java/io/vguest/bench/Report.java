package io.vguest.bench;

import io.vguest.bench.ScaleHarness.Options;
import io.vguest.bench.ScaleHarness.Pair;
import io.vguest.bench.ScaleHarness.Run;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Markdown tables of a harness run. */
final class Report {

  private Report() {}

  static String machine() {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, """
        Machine: %d cores (%s), %s memory, %s %s (%s), %s %s; load average at start %s
        JVM arguments: %s
        """,
        rt.availableProcessors(), cpuModel(), memTotal(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), System.getProperty("java.vm.vendor"), System.getProperty("os.name"),
        System.getProperty("os.version"), loadAverage(),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
  }

  static String detail(Pair pair, Options options) {
    Run f = pair.floor();
    Run p = pair.parallelFloor();
    Run a = pair.agent();
    String threads = options.threads() + " threads";
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n### %,d guests%n%n", a.guests()));
    out.append("| measure | floor, one loop | floor, " + threads + " | agent | agent / floor (one loop) "
        + "| agent / floor (" + threads + ") |\n|---|---:|---:|---:|---:|---:|\n");
    row(out, "creation to all Ready" + (a.converged() ? "" : " (agent DID NOT CONVERGE)"), seconds(f.toReady()),
        seconds(p.toReady()), seconds(a.toReady()), ratio(a.toReady().toNanos(), f.toReady().toNanos()),
        ratio(a.toReady().toNanos(), p.toReady().toNanos()));
    row(out, "guests Ready per second", rate(f), rate(p), rate(a), "", "");
    row(out, "API requests per guest", num(f.perGuest(f.requests().total())), num(p.perGuest(p.requests().total())),
        num(a.perGuest(a.requests().total())), ratio(a.requests().total(), f.requests().total()),
        ratio(a.requests().total(), p.requests().total()));
    row(out, "API writes per guest", num(f.perGuest(f.requests().writes())), num(p.perGuest(p.requests().writes())),
        num(a.perGuest(a.requests().writes())), ratio(a.requests().writes(), f.requests().writes()),
        ratio(a.requests().writes(), p.requests().writes()));
    row(out, "API writes to the VirtualGuest per guest", num(f.perGuest(f.requests().guestWrites())),
        num(p.perGuest(p.requests().guestWrites())), num(a.perGuest(a.requests().guestWrites())),
        ratio(a.requests().guestWrites(), f.requests().guestWrites()),
        ratio(a.requests().guestWrites(), p.requests().guestWrites()));
    row(out, "libvirt calls per guest", num(f.perGuest(f.libvirtTotal())), num(p.perGuest(p.libvirtTotal())),
        num(a.perGuest(a.libvirtTotal())), ratio(a.libvirtTotal(), f.libvirtTotal()),
        ratio(a.libvirtTotal(), p.libvirtTotal()));
    row(out, "guests defined more than once", String.valueOf(f.doubleDefines()), String.valueOf(p.doubleDefines()),
        String.valueOf(a.doubleDefines()), "", "");
    out.append("\nCPU seconds of the process from the first creation to all Ready, by thread group (2 cores: at most "
        + "twice the elapsed time):\n\n| thread group | floor, one loop | floor, " + threads + " | agent |\n"
        + "|---|---:|---:|---:|\n");
    TreeSet<String> groups = new TreeSet<>(f.cpu().keySet());
    groups.addAll(p.cpu().keySet());
    groups.addAll(a.cpu().keySet());
    for (String group : groups) {
      row(out, group, cpu(f, group), cpu(p, group), cpu(a, group));
    }
    row(out, "all", cpu(f, null), cpu(p, null), cpu(a, null));
    out.append("\nAPI requests per guest by verb, from the first creation to all Ready and ")
        .append(options.settle().toSeconds()).append(" s after (the harness's own creates and watch not counted):\n\n");
    out.append("| request | floor | agent |\n|---|---:|---:|\n");
    TreeSet<String> kinds = new TreeSet<>(f.requests().byKind().keySet());
    kinds.addAll(a.requests().byKind().keySet());
    for (String kind : kinds) {
      row(out, kind, num(f.perGuest(f.requests().byKind().getOrDefault(kind, 0L))),
          num(a.perGuest(a.requests().byKind().getOrDefault(kind, 0L))));
    }
    out.append("\nlibvirt calls per guest by call, same interval:\n\n");
    out.append("| call | floor | agent |\n|---|---:|---:|\n");
    TreeSet<String> calls = new TreeSet<>(f.libvirt().keySet());
    calls.addAll(a.libvirt().keySet());
    for (String call : calls) {
      row(out, call, num(f.perGuest(f.libvirt().getOrDefault(call, 0L))),
          num(a.perGuest(a.libvirt().getOrDefault(call, 0L))));
    }
    out.append("\nAgent in steady state:\n\n| measure | value |\n|---|---:|\n");
    row(out, "change of a stopped guest's spec to its redefine, p50 / p99 (" + a.changeToRedefine().size()
        + " changes, one at a time" + (a.changesMissed() > 0 ? ", " + a.changesMissed() + " never applied" : "") + ")",
        millis(a.percentile(50)) + " / " + millis(a.percentile(99)));
    row(out, "heap retained by the agent (after full GC: with the agent minus after closing it)",
        mb(a.heapBytes() - a.heapWithoutAgentBytes()));
    row(out, "heap of the whole process after full GC (agent, " + (options.api().equals("real")
        ? "API clients; the real API server is a process of its own" : "mock API server with " + a.guests() + " guests")
        + ", harness)", mb(a.heapBytes()));
    row(out, "RSS of the whole process (VmRSS)", mb(a.rssBytes()));
    long seconds = Math.max(1, options.idle().toSeconds());
    RequestCounts idle = a.idleRequests();
    row(out, "idle " + seconds + " s (resync every " + options.resync().toSeconds()
        + " s): API writes to VirtualGuests", String.valueOf(idle.guestWrites()));
    row(out, "idle: other API writes (" + otherWrites(idle) + ")", String.valueOf(idle.writes() - idle.guestWrites()));
    row(out, "idle: libvirt defines", String.valueOf(a.idleLibvirt().getOrDefault("define", 0L)));
    row(out, "idle: API reads per guest per minute (" + reads(idle) + ")",
        num(a.perGuest(idle.reads()) * 60.0 / seconds));
    row(out, "idle: libvirt calls per guest per minute (" + ScaleHarness.keys(a.idleLibvirt()) + ")",
        num(a.perGuest(a.idleLibvirt().values().stream().mapToLong(Long::longValue).sum()) * 60.0 / seconds));
    row(out, "idle: libvirt calls per guest per resync", num(idlePerResync(a, options)));
    return out.toString();
  }

  static String summary(List<Pair> results, Options options) {
    StringBuilder out = new StringBuilder("\n### Summary\n\n");
    out.append("| guests | floor to Ready: one loop / " + options.threads() + " threads | agent to Ready "
        + "| agent / floor (one loop / " + options.threads() + " threads) "
        + "| VirtualGuest writes per guest (all writes) | libvirt calls per guest (agent / floor) "
        + "| change to redefine p50 / p99 | agent heap | process RSS | idle: guest writes / defines "
        + "| idle: libvirt calls per guest per resync |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Pair pair : results) {
      Run f = pair.floor();
      Run p = pair.parallelFloor();
      Run a = pair.agent();
      out.append(String.format(Locale.ROOT, "| %,d | %s / %s | %s%s | %s / %s | %s (%s) | %s / %s | %s / %s | %s | %s "
              + "| %d / %d | %s |%n",
          a.guests(), seconds(f.toReady()), seconds(p.toReady()), seconds(a.toReady()),
          a.converged() ? "" : " (not converged)", ratio(a.toReady().toNanos(), f.toReady().toNanos()),
          ratio(a.toReady().toNanos(), p.toReady().toNanos()), num(a.perGuest(a.requests().guestWrites())),
          num(a.perGuest(a.requests().writes())), num(a.perGuest(a.libvirtTotal())), num(f.perGuest(f.libvirtTotal())),
          millis(a.percentile(50)), millis(a.percentile(99)), mb(a.heapBytes() - a.heapWithoutAgentBytes()),
          mb(a.rssBytes()), a.idleRequests().guestWrites(), a.idleLibvirt().getOrDefault("define", 0L),
          num(idlePerResync(a, options))));
    }
    return out.toString();
  }

  /** libvirt calls per guest per resync period in the idle window (the node's listing shared by its guests). */
  private static double idlePerResync(Run a, Options options) {
    double resyncs = Math.max(1.0, (double) options.idle().toSeconds() / Math.max(1, options.resync().toSeconds()));
    return a.perGuest(a.idleLibvirt().values().stream().mapToLong(Long::longValue).sum()) / resyncs;
  }

  private static String otherWrites(RequestCounts counts) {
    StringBuilder kinds = new StringBuilder();
    counts.byKind().forEach((k, v) -> {
      if (RequestCounts.isWrite(k) && !k.contains(" virtualguests")) {
        kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append('=').append(v);
      }
    });
    return kinds.length() == 0 ? "none" : kinds.toString();
  }

  private static String reads(RequestCounts counts) {
    StringBuilder kinds = new StringBuilder();
    counts.byKind().forEach((k, v) -> {
      if (!RequestCounts.isWrite(k)) {
        kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append('=').append(v);
      }
    });
    return kinds.length() == 0 ? "none" : kinds.toString();
  }

  private static void row(StringBuilder out, String... cells) {
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String cpu(Run run, String group) {
    double value = group == null ? run.cpu().values().stream().mapToDouble(Double::doubleValue).sum()
        : run.cpu().getOrDefault(group, 0.0);
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }

  static String millis(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String mb(long bytes) {
    return bytes == -1 ? "-" : String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
  }

  static String ratio(long a, long b) {
    return b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) a / b);
  }

  static String rate(Run run) {
    return String.format(Locale.ROOT, "%.0f", run.guests() / Math.max(1e-9, run.toReady().toNanos() / 1e9));
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return mb(Runtime.getRuntime().maxMemory()) + " max heap";
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
