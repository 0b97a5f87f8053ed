package io.vguest.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.RenderedDomain;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.identity.HostSerialSource;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.NodeFactsReader;
import io.vguest.operator.AgentConfig;
import io.vguest.operator.AgentMetrics;
import io.vguest.operator.GuestWriter;
import io.vguest.operator.NodeAgent;
import io.vguest.reconcile.DomainFacts;
import io.vguest.reconcile.Observation;
import io.vguest.reconcile.StampPatch;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncResult.Action;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Scale harness: for each guest count, first the floor (a bare loop doing the minimum per guest:
 * one stamping patch, one define of the rendered XML, one status write), then one node agent,
 * each against a fresh fabric8 mock API server (CRUD mode) and a fresh libvirt test-driver node; with
 * {@code --api real}, all against one real kube-apiserver with etcd (a namespace and node name per run),
 * the agent in the production watch mode (filtered on the node by the server).
 * Prints a table per size and a summary, every agent figure next to the floor's from the same run.
 *
 * <p>Arguments: {@code --sizes 100,1000} {@code --idle 30} (seconds of the idle window)
 * {@code --resync 10} (the agent's resync period in seconds; 10 minutes in production, shortened
 * so the idle window sees full resyncs) {@code --changes 100} (stopped guests whose spec is
 * changed one after another) {@code --api mock|real} {@code --out file.md}.
 */
public final class ScaleHarness {

  static final String AGENT_UA = "vguest-agent/bench";
  static final String FLOOR_UA = "vguest-floor";
  static final PatchContext JSON_PATCH = new PatchContext.Builder().withPatchType(PatchType.JSON).build();

  /** How a run is set up. */
  public record Options(List<Integer> sizes, Duration idle, Duration resync, int changes, Path out,
      Duration settle, int threads, String api) {
    static Options parse(String... args) {
      List<Integer> sizes = List.of(100, 1000);
      Duration idle = Duration.ofSeconds(30);
      Duration resync = Duration.ofSeconds(10);
      int changes = 100;
      Path out = null;
      int threads = 4;
      String api = "mock";
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
          case "--idle" -> idle = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
          case "--resync" -> resync = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
          case "--changes" -> changes = Integer.parseInt(value);
          case "--out" -> out = Path.of(value);
          case "--threads" -> threads = Integer.parseInt(value);
          case "--api" -> api = value;
          default -> throw new IllegalArgumentException("unknown argument " + args[i]
              + "; known: --sizes 100,1000 --idle <s> --resync <s> --changes <n> --threads <n> --api mock|real --out <file>");
        }
        i++;
      }
      if (!api.equals("mock") && !api.equals("real")) {
        throw new IllegalArgumentException("--api " + api + ": allowed values are mock, real");
      }
      return new Options(sizes, idle, resync, changes, out, Duration.ofSeconds(2), threads, api);
    }
  }

  /** What one run (floor or agent) measured. */
  public record Run(
      int guests,
      boolean converged,
      Duration toReady,
      RequestCounts requests,
      Map<String, Long> libvirt,
      long doubleDefines,
      RequestCounts idleRequests,
      Map<String, Long> idleLibvirt,
      List<Duration> changeToRedefine,
      int changesMissed,
      long heapBytes,
      long rssBytes,
      long heapWithoutAgentBytes,
      Map<String, Double> cpu) {

    double perGuest(long count) {
      return guests == 0 ? 0 : (double) count / guests;
    }

    long libvirtTotal() {
      return libvirt.values().stream().mapToLong(Long::longValue).sum();
    }

    Duration percentile(double p) {
      if (changeToRedefine.isEmpty()) {
        return null;
      }
      List<Duration> sorted = changeToRedefine.stream().sorted().toList();
      int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
  }

  /** One size: the floor as one loop, the floor in as many threads as the agent reconciles with, the agent. */
  public record Pair(Run floor, Run parallelFloor, Run agent) {}

  private final Options options;
  private final Path work;

  public ScaleHarness(Options options) throws IOException {
    this.options = options;
    this.work = Files.createTempDirectory("vguest-bench");
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    ScaleHarness harness = new ScaleHarness(options);
    List<Pair> results = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    String api = options.api().equals("real")
        ? "API server: a real kube-apiserver " + io.vguest.testing.RealApiServer.VERSION + " with etcd, shared by every"
            + " run; the agent's watches filtered on the node by the server (production mode)\n"
        : "API server: fabric8's mock (CRUD mode), a fresh one per run; the agent's watches filtered in the agent\n";
    report.append(Report.machine()).append(api).append('\n');
    System.out.println(Report.machine() + api);
    for (int n : options.sizes()) {
      System.out.printf(Locale.ROOT, "%n== %d guests ==%n", n);
      Run floor = harness.floor(n, 1);
      System.out.printf(Locale.ROOT, "   floor, one loop: %s%n", Report.seconds(floor.toReady()));
      Run parallelFloor = harness.floor(n, options.threads());
      System.out.printf(Locale.ROOT, "   floor, %d threads: %s%n", options.threads(),
          Report.seconds(parallelFloor.toReady()));
      Run agent = harness.agent(n);
      Pair pair = new Pair(floor, parallelFloor, agent);
      results.add(pair);
      String table = Report.detail(pair, options);
      System.out.println(table);
      report.append(table).append('\n');
    }
    String summary = Report.summary(results, options);
    System.out.println(summary);
    report.append(summary);
    if (options.out() != null) {
      Files.createDirectories(options.out().toAbsolutePath().getParent());
      Files.writeString(options.out(), report.toString());
      System.out.println("written to " + options.out());
    }
    System.exit(results.stream().allMatch(p -> p.floor().converged() && p.parallelFloor().converged()
        && p.agent().converged()) ? 0 : 1);
  }

  static String name(int i) {
    return String.format(Locale.ROOT, "g-%05d", i);
  }

  static String domain(String namespace, int i) {
    return DefinitionBuilder.domainName(namespace, name(i));
  }

  private Duration readyTimeout(int n) {
    return Duration.ofSeconds(120).plusMillis(100L * n);
  }

  /** A libvirt test-driver node of its own, with the pool the guests use. */
  Path testNode(String label) {
    try {
      Path dir = Files.createTempDirectory(work, label);
      Path node = dir.resolve("node.xml");
      Files.writeString(node, """
          <node>
            <pool type='dir'>
              <name>default</name>
              <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>
              <capacity unit='GiB'>100000</capacity>
              <allocation>0</allocation>
              <available unit='GiB'>100000</available>
              <target><path>/var/lib/vguest/images</path></target>
            </pool>
          </node>
          """);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The floor: per guest, the harness creates it, then one JSON stamping patch (the agent's own
   * patch builder), one define of the XML the agent's renderer makes of the stamped guest, and one
   * status write (the agent's status builder). No reads, no retries, no events; {@code threads}
   * loops, each over its share of the guests.
   */
  public Run floor(int n, int threads) throws Exception {
    Path node = testNode("floor");
    try (BenchCluster cluster = BenchCluster.start(options.api());
        LibvirtHypervisor libvirt = new LibvirtHypervisor("test://" + node);
        GuestWatch watch = new GuestWatch(cluster.harness(), cluster.namespace())) {
      CountingHypervisor hypervisor = new CountingHypervisor(libvirt);
      NodeFacts facts = NodeFactsReader.read(hypervisor, cluster.node(), node.resolveSibling("machine-id"),
          HostSerialSource.AUTO);
      KubernetesClient client = cluster.client(FLOOR_UA);
      GuestWriter writer = new GuestWriter(client, new AgentMetrics());
      GuestStamper stamper = new GuestStamper(BenchGuests.SETTINGS, facts);
      DefinitionBuilder builder = new DefinitionBuilder(BenchGuests.SETTINGS, facts);
      DomainRenderer renderer = new DomainRenderer();
      Thread.sleep(300);
      cluster.drain();
      hypervisor.reset();

      CpuUse cpuUse = CpuUse.start();
      long start = System.nanoTime();
      inThreads(n, threads, i -> {
        VirtualGuest created = cluster.harness().resource(BenchGuests.linux(cluster.namespace(), name(i), cluster.node())).create();
        GuestStamper.Stamp stamp = stamper.stamp(created, null);
        VirtualGuest stored = writer.stamp(created, StampPatch.between(created, stamp.guest(), GuestWriter.FINALIZER));
        GuestDefinition definition = builder.build(stored);
        RenderedDomain rendered = renderer.render(definition);
        hypervisor.define(rendered.xml());
        Observation observed = new Observation(List.of(Action.DEFINED), DomainState.RUNNING, definition,
            rendered.hash(), List.of(), null, DomainFacts.parse(rendered.xml()), RunStrategy.Always, Map.of());
        VirtualGuestStatus status = StatusBuilder.build(null, stored.getMetadata().getGeneration(), observed, cluster.node(),
            Instant.now());
        writer.writeStatus(stored, status);
      });
      boolean converged = watch.await(GuestWatch::ready, n, readyTimeout(n));
      Duration toReady = Duration.ofNanos(System.nanoTime() - start);
      Map<String, Double> cpu = cpuUse.seconds();
      List<ApiRequest> requests = cluster.drain();
      return new Run(n, converged, toReady, RequestCounts.of(requests, FLOOR_UA), hypervisor.calls(),
          doubleDefines(hypervisor, cluster.namespace(), n), null, null, List.of(), 0, 0, 0, 0, cpu);
    }
  }

  /** Runs {@code work} for 0..n-1 in {@code threads} threads, each over every threads-th index. */
  static void inThreads(int n, int threads, IntConsumer work) throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker = new Thread(() -> {
        try {
          for (int i = first; i < n; i += threads) {
            work.accept(i);
          }
        } catch (RuntimeException e) {
          failures.add(e);
        } finally {
          CpuUse.finished(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        }
      }, "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  /** One node agent, as {@code vguest operator} runs it, with the counting decorator around libvirt. */
  public Run agent(int n) throws Exception {
    Path node = testNode("agent");
    try (BenchCluster cluster = BenchCluster.start(options.api());
        GuestWatch watch = new GuestWatch(cluster.harness(), cluster.namespace())) {
      Run measured = runAgent(cluster, watch, node, n);
      // The agent and its libvirt connection are closed and unreachable now; the mock server still holds the guests.
      long heapWithout = heapAfterGc();
      return new Run(n, measured.converged(), measured.toReady(), measured.requests(), measured.libvirt(),
          measured.doubleDefines(), measured.idleRequests(), measured.idleLibvirt(), measured.changeToRedefine(),
          measured.changesMissed(), measured.heapBytes(), measured.rssBytes(), heapWithout, measured.cpu());
    }
  }

  private Run runAgent(BenchCluster cluster, GuestWatch watch, Path node, int n) throws Exception {
    try (LibvirtHypervisor libvirt = new LibvirtHypervisor("test://" + node)) {
      CountingHypervisor hypervisor = new CountingHypervisor(libvirt);
      KubernetesClient agentClient = cluster.client(AGENT_UA);
      AgentConfig config = AgentConfig.defaults(cluster.node(), BenchGuests.SETTINGS)
          .withWatchFilter(cluster.watchFilter())
          .withLeaseNamespace("vguest-system")
          .withHostSerial(HostSerialSource.AUTO, node.resolveSibling("machine-id"))
          .withTimings(Duration.ofSeconds(40), options.resync(), Duration.ofSeconds(2));
      try (NodeAgent agent = NodeAgent.start(agentClient, config, hypervisor)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!agent.watchesSynced() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Thread.sleep(500);
        cluster.drain();
        hypervisor.reset();

        // Creation to all Ready.
        CpuUse cpuUse = CpuUse.start();
        long start = System.nanoTime();
        inThreads(n, options.threads(),
            i -> cluster.harness().resource(BenchGuests.linux(cluster.namespace(), name(i), cluster.node())).create());
        boolean converged = watch.await(GuestWatch::ready, n, readyTimeout(n));
        Duration toReady = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Double> cpu = cpuUse.seconds();
        List<ApiRequest> requests = new ArrayList<>(cluster.drain());
        System.out.printf(Locale.ROOT, "   agent: %s to all Ready%s%n", Report.seconds(toReady),
            converged ? "" : " (NOT CONVERGED: " + watch.count(GuestWatch::ready) + " of " + n + ")");
        Thread.sleep(options.settle().toMillis()); // the libvirt events of the starts, the last events
        requests.addAll(cluster.drain());
        RequestCounts counts = RequestCounts.of(requests, AGENT_UA);
        requests = null;
        Map<String, Long> libvirtCalls = hypervisor.calls();

        // Idle window: nothing changes, every guest is resynced at least once.
        hypervisor.reset();
        Thread.sleep(options.idle().toMillis());
        RequestCounts idle = RequestCounts.of(cluster.drain(), AGENT_UA);
        Map<String, Long> idleLibvirt = hypervisor.calls();
        System.out.printf(Locale.ROOT, "   idle window: %d agent writes, %d defines%n", idle.writes(),
            idleLibvirt.getOrDefault("define", 0L));

        long heap = heapAfterGc();
        long rss = rssBytes();

        // Change to redefine, one stopped guest at a time.
        List<Duration> latencies = new ArrayList<>();
        int missed = changeToRedefine(cluster, watch, hypervisor, Math.min(n, options.changes()), latencies);
        long doubles = doubleDefines(hypervisor, cluster.namespace(), n) - latencies.size();
        cluster.drain();
        return new Run(n, converged, toReady, counts, libvirtCalls, doubles, idle, idleLibvirt, latencies, missed,
            heap, rss, 0, cpu);
      }
    }
  }

  /**
   * Halts {@code k} guests, waits until they are reported stopped, then changes their spec one
   * after another, timing each from just before the API write to the return of the define that
   * applies it. Returns how many changes were never applied within 30 s.
   */
  private int changeToRedefine(BenchCluster cluster, GuestWatch watch, CountingHypervisor hypervisor, int k,
      List<Duration> latencies) throws InterruptedException {
    KubernetesClient client = cluster.harness();
    for (int i = 0; i < k; i++) {
      client.resources(VirtualGuest.class).inNamespace(cluster.namespace()).withName(name(i))
          .patch(JSON_PATCH, "[{\"op\":\"add\",\"path\":\"/spec/runStrategy\",\"value\":\"Halted\"}]");
    }
    TreeSet<String> halted = new TreeSet<>();
    for (int i = 0; i < k; i++) {
      halted.add(name(i));
    }
    if (!watch.await(g -> halted.contains(g.getMetadata().getName()) && GuestWatch.stopped(g), k,
        Duration.ofSeconds(120))) {
      System.out.println("   not every halted guest was reported stopped; timing the changes anyway");
    }
    int missed = 0;
    for (int i = 0; i < k; i++) {
      String domain = domain(cluster.namespace(), i);
      long before = hypervisor.defines(domain);
      long start = System.nanoTime();
      client.resources(VirtualGuest.class).inNamespace(cluster.namespace()).withName(name(i))
          .patch(JSON_PATCH, "[{\"op\":\"add\",\"path\":\"/spec/resources/cpus\",\"value\":1}]");
      long deadline = start + Duration.ofSeconds(30).toNanos();
      while (hypervisor.defines(domain) == before && System.nanoTime() < deadline) {
        Thread.sleep(0, 200_000);
      }
      Long defined = hypervisor.lastDefine(domain);
      if (hypervisor.defines(domain) == before || defined == null) {
        missed++;
      } else {
        latencies.add(Duration.ofNanos(defined - start));
      }
    }
    return missed;
  }

  /** Defines beyond the first of each guest's domain. */
  private static long doubleDefines(CountingHypervisor hypervisor, String namespace, int n) {
    long extra = 0;
    for (int i = 0; i < n; i++) {
      extra += Math.max(0, hypervisor.defines(domain(namespace, i)) - 1);
    }
    return extra;
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** VmRSS of this process, or -1 where /proc is not available. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  static String keys(Map<String, Long> calls) {
    return calls.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }
}
