package io.vguest.operator;

import io.vguest.domain.GuestMetadata;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.reconcile.DomainFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sits between an agent and its libvirt node for fault tests: counts the defines of every domain,
 * records a define of a definition the domain already has (a double definition), and can hold the
 * agent at a define, before or after it reached libvirt, as if the process died right there.
 * Outlives the agents that use it, so counts span restarts.
 */
final class RecordingHypervisor extends ForwardingHypervisor {

  private static final Pattern NAME = Pattern.compile("<name>([^<]*)</name>");

  /** Thrown into the agent at a gate: the process is gone, nothing after this point happens. */
  static final class AgentKilled extends RuntimeException {
    AgentKilled() {
      super("agent process killed by the test");
    }
  }

  /** Holds the next define of one domain until the test kills the agent or lets it go on. */
  static final class Gate {
    final String domain;
    final boolean afterDefine;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    Gate(String domain, boolean afterDefine) {
      this.domain = domain;
      this.afterDefine = afterDefine;
    }

    void awaitReached() throws InterruptedException {
      if (!reached.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the agent never came to the define of " + domain);
      }
    }

    private volatile boolean killed;

    /** Lets the held thread go on, into an {@link AgentKilled}. */
    void kill() {
      killed = true;
      released.countDown();
    }

    /** Lets the held thread go on as if nothing happened. */
    void release() {
      released.countDown();
    }

    private void hold() {
      reached.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (killed) {
        throw new AgentKilled();
      }
    }
  }

  private final Map<String, AtomicInteger> defines = new ConcurrentHashMap<>();
  private final List<String> doubleDefinitions = new ArrayList<>();
  private volatile Gate gate;
  private final Map<String, AtomicInteger> failingStarts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> startAttempts = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> startTimes = new ConcurrentHashMap<>();

  RecordingHypervisor(Hypervisor delegate) {
    super(delegate);
  }

  Gate hold(String domain, boolean afterDefine) {
    Gate g = new Gate(domain, afterDefine);
    gate = g;
    return g;
  }

  int defines(String domain) {
    AtomicInteger n = defines.get(domain);
    return n == null ? 0 : n.get();
  }

  int definesTotal() {
    return defines.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Domains defined again with exactly the definition they already had. */
  synchronized List<String> doubleDefinitions() {
    return List.copyOf(doubleDefinitions);
  }

  @Override
  public DomainView define(String domainXml) {
    Matcher m = NAME.matcher(domainXml);
    String name = m.find() ? m.group(1) : "?";
    Gate g = gate;
    boolean gated = g != null && g.domain.equals(name);
    if (gated) {
      gate = null;
      if (!g.afterDefine) {
        g.hold();
      }
    }
    String wanted = DomainFacts.parse(domainXml).metadata().renderHash();
    Optional<String> current = delegate.lookup(name).flatMap(DomainView::vguestMetadataXml);
    if (current.isPresent() && wanted.equals(GuestMetadata.parse(current.get()).renderHash())) {
      synchronized (this) {
        doubleDefinitions.add(name);
      }
    }
    DomainView view = delegate.define(domainXml);
    defines.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    if (gated) {
      g.hold();
    }
    return view;
  }

  /**
   * The next {@code times} starts of the domain fail as a QEMU that exits at once does (libvirt's
   * internal error; the connection stays up), then starts work again.
   */
  void failStarts(String domain, int times) {
    failingStarts.put(domain, new AtomicInteger(times));
  }

  /** Starts of the domain the agent tried, failed ones included. */
  int startAttempts(String domain) {
    AtomicInteger n = startAttempts.get(domain);
    return n == null ? 0 : n.get();
  }

  /** When (System.nanoTime) each start of the domain was tried, in order. */
  List<Long> startTimes(String domain) {
    return List.copyOf(startTimes.getOrDefault(domain, List.of()));
  }

  @Override
  public void start(String domainName) {
    startAttempts.computeIfAbsent(domainName, k -> new AtomicInteger()).incrementAndGet();
    startTimes.computeIfAbsent(domainName, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(System.nanoTime());
    AtomicInteger left = failingStarts.get(domainName);
    if (left != null && left.getAndDecrement() > 0) {
      throw new HypervisorException(HypervisorException.Kind.OTHER, "start domain '" + domainName
          + "': internal error: qemu unexpectedly closed the monitor (simulated)", "VIR_ERR_INTERNAL_ERROR", null);
    }
    super.start(domainName);
  }

  /** Agents close their hypervisor when they stop; the node outlives them, so this does nothing. */
  @Override public void close() {
  }
}
