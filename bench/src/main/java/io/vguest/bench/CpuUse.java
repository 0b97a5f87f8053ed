package io.vguest.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU time of this process between two points, by what its threads belong to (told by thread
 * name): the mock API server, the agent's reconcilers and watches, HTTP clients, libvirt, the
 * harness (its worker threads report their time when they end), and garbage collection (pause
 * time). Other threads that end in between are missed.
 */
final class CpuUse {

  /** CPU nanoseconds of the harness's worker threads that have ended (their time is gone from the MXBean). */
  private static final LongAdder FINISHED = new LongAdder();

  private final Map<Long, Long> start = new HashMap<>();
  private final long finishedStart = FINISHED.sum();
  private final Map<Long, String> names = new HashMap<>();
  private final long gcStart;

  private CpuUse() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        start.put(info.getThreadId(), Math.max(0, threads.getThreadCpuTime(info.getThreadId())));
      }
    }
    gcStart = gcMillis();
  }

  /** A harness worker thread ends having used {@code nanos} of CPU. */
  static void finished(long nanos) {
    FINISHED.add(Math.max(0, nanos));
  }

  static CpuUse start() {
    return new CpuUse();
  }

  /** Seconds of CPU since {@link #start()}, by group, sorted by group name. */
  Map<String, Double> seconds() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Double> groups = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long now = threads.getThreadCpuTime(info.getThreadId());
      if (now < 0) {
        continue;
      }
      long used = now - start.getOrDefault(info.getThreadId(), 0L);
      names.put(info.getThreadId(), info.getThreadName());
      groups.merge(group(info.getThreadName()), used / 1e9, Double::sum);
    }
    groups.merge("harness and floor loops", (FINISHED.sum() - finishedStart) / 1e9, Double::sum);
    groups.put("garbage collection (pause time)", (gcMillis() - gcStart) / 1e3);
    return groups;
  }

  static String group(String thread) {
    if (thread.startsWith("vert.x")) {
      return "mock API server";
    }
    if (thread.startsWith("ReconcilerExecutor") || thread.startsWith("vguest-domain-scan")) {
      return "agent: reconcilers";
    }
    if (thread.startsWith("InformerWrapper") || thread.contains("Informer") || thread.startsWith("EventSource")) {
      return "agent: watches";
    }
    if (thread.startsWith("vguest-libvirt") || thread.startsWith("libvirt")) {
      return "libvirt events";
    }
    if (thread.startsWith("HttpClient") || thread.contains("-pool-") || thread.startsWith("ForkJoinPool")) {
      return "HTTP clients and shared pools";
    }
    if (thread.startsWith("bench-") || thread.equals("main")) {
      return "harness and floor loops";
    }
    return "other";
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }
}
