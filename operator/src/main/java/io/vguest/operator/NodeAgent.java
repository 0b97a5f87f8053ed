package io.vguest.operator;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.GuestMetadata;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.DomainEvent;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.reconcile.NodeFactsReader;
import io.vguest.operator.AgentConfig.WatchFilter;
import io.vguest.operator.GuestHandler.NodeState;
import io.vguest.reconcile.GuestPipeline;
import io.vguest.reconcile.GuestSync;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node agent: keeps one node's libvirt domains equal to the VirtualGuests that name the node.
 * Watches the guests of its node (filtered on the API server where it can, else in the agent),
 * their profiles and libvirt's lifecycle events; renews the node's heartbeat Lease, and acts only
 * while it holds it (another agent configured with the same node name does not); and scans the
 * node's domains for ones whose guest is gone (reported, never deleted) or was evacuated (removed).
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  private final KubernetesClient client;
  private final AgentConfig config;
  private final AgentMetrics metrics = new AgentMetrics();
  private final Hypervisor hypervisor;
  private final MeteredHypervisor metered;
  private final GuestWriter writer;
  private final NodeLeases leases;
  private final GuestHandler handler;
  private final NodeMachineTypes machineTypes;
  private final AtomicReference<NodeState> nodeState = new AtomicReference<>();
  private final List<GuestReconciler> reconcilers = new ArrayList<>();
  private final AtomicReference<Set<String>> orphans = new AtomicReference<>(Set.of());
  private Operator operator;
  private ScheduledExecutorService scanner;
  private WatchFilter filter;

  private NodeAgent(KubernetesClient client, AgentConfig config, Hypervisor hypervisor) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.metered = new MeteredHypervisor(Objects.requireNonNull(hypervisor, "hypervisor"), metrics);
    // What the agent looks up is remembered until an event, a listing or a reconnect may have
    // changed it; the metrics count the calls that reach libvirt.
    this.hypervisor = new RememberedDomains(metered);
    this.writer = new GuestWriter(client, metrics);
    this.leases = new NodeLeases(client, config.leaseNamespace(), config.nodeName(), config.instance(),
        config.leaseDuration(), config.clock());
    this.handler = new GuestHandler(config, this.hypervisor, writer,
        new GuestEvents(client, config.nodeName(), config.clock()), leases, this::nodeState, metrics);
    this.machineTypes = new NodeMachineTypes(this.hypervisor, config.nodeName(), config.clock());
    handler.machineTypes(machineTypes);
  }

  /** Starts an agent; it runs until {@link #close()}. */
  public static NodeAgent start(KubernetesClient client, AgentConfig config, Hypervisor hypervisor) {
    NodeAgent agent = new NodeAgent(client, config, hypervisor);
    agent.start();
    return agent;
  }

  private void start() {
    filter = config.watchFilter() == WatchFilter.AUTO ? probeServerFilter() : config.watchFilter();
    leases.onAcquired(this::onLeaseAcquired);
    leases.start();
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
        .withUseSSAToPatchPrimaryResource(false).withConcurrentReconciliationThreads(4)
        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()))
        .withStopOnInformerErrorDuringStartup(true));
    if (filter == WatchFilter.SERVER) {
      register(new GuestReconciler(handler, "home"), "vguest-home",
          new FieldSelector(new FieldSelector.Field("spec.nodeName", config.nodeName(), false)));
      register(GuestReconciler.away(handler, "away", config.nodeName()), "vguest-away",
          new FieldSelector(new FieldSelector.Field("status.node", config.nodeName(), false)));
      LOG.info("watching the guests of node {} with field selectors on the API server (spec.nodeName, status.node)",
          config.nodeName());
    } else {
      register(new GuestReconciler(handler, "all"), "vguest-node", null);
      LOG.info("watching all guests and filtering in the agent for node {} (the API server does not filter on "
          + "spec.nodeName; Kubernetes 1.31 or newer does)", config.nodeName());
    }
    reconcilers.forEach(r -> r.peers(reconcilers));
    handler.guestsWithMac(mac -> reconcilers.stream().flatMap(r -> r.withMac(mac).stream()).toList());
    metrics.watch(this::watchedGuests, hypervisor::connected, () -> orphans.get().size(), leases::holding,
        config.nodeName());
    metrics.retrying(handler::retrying);
    machineTypes.register(metrics.registry(), this::watchedGuests);
    hypervisor.addLifecycleListener(this::onDomainEvent);
    hypervisor.addReconnectListener(this::onReconnect);
    operator.start();
    scanner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vguest-domain-scan");
      t.setDaemon(true);
      return t;
    });
    long period = config.resyncPeriod().toMillis();
    scanner.scheduleWithFixedDelay(this::scanQuietly, 0, period, TimeUnit.MILLISECONDS);
  }

  private void register(GuestReconciler reconciler, String name, FieldSelector selector) {
    reconcilers.add(reconciler);
    ControllerConfiguration<VirtualGuest> base = operator.getConfigurationService().getConfigurationFor(reconciler);
    ControllerConfiguration<VirtualGuest> overridden = ControllerConfigurationOverrider.override(base)
        .withName(name)
        .withGenerationAware(false)
        .withTriggerReconcilerOnAllEvents(true)
        .withReconciliationMaxInterval(config.resyncPeriod())
        .withGenericFilter(selector == null ? this::concernsThisNode : guest -> true)
        .withFieldManager(GuestWriter.FIELD_MANAGER)
        .build();
    operator.register(reconciler, selector == null ? overridden : new ResolvedControllerConfiguration<>(overridden) {
      @Override
      public InformerConfiguration<VirtualGuest> getInformerConfig() {
        return InformerConfiguration.builder(super.getInformerConfig()).withFieldSelector(selector)
            .buildForController();
      }
    });
  }

  /** Client-side filter: guests that live here, or that this node still holds (claim or status). */
  private boolean concernsThisNode(VirtualGuest guest) {
    return GuestHandler.concerns(guest, config.nodeName());
  }

  /** Whether the API server filters guests on spec.nodeName (a CRD selectable field, Kubernetes 1.31+). */
  private WatchFilter probeServerFilter() {
    try {
      client.resources(VirtualGuest.class).inAnyNamespace().withField("spec.nodeName", config.nodeName())
          .list(new ListOptionsBuilder().withLimit(1L).build());
      return WatchFilter.SERVER;
    } catch (KubernetesClientException e) {
      LOG.info("the API server refuses a field selector on spec.nodeName ({} {}); filtering in the agent",
          e.getCode(), e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
      return WatchFilter.CLIENT;
    }
  }

  /** The node's facts, read from libvirt on first use and again after every reconnect. */
  NodeState nodeState() {
    NodeState state = nodeState.get();
    if (state != null) {
      return state;
    }
    NodeFacts facts = NodeFactsReader.read(hypervisor, config.nodeName(),
        config.machineIdFile(), config.hostSerialSource());
    NodeState fresh = new NodeState(new GuestSync(hypervisor, config.settings(), facts, config.shutdownGrace(),
        config.clock(), config.swtpmDir()), new GuestPipeline(config.settings(), facts));
    LOG.info("node {}: libvirt {}, machine types {}, node serial {}", config.nodeName(), facts.libvirtVersion(),
        facts.machineAliases(), facts.hostSerial() == null ? "unavailable" : "read");
    nodeState.compareAndSet(null, fresh);
    return nodeState.get();
  }

  private void onDomainEvent(DomainEvent event) {
    Optional<ResourceID> guest = guestOf(event.domainName());
    guest.ifPresent(id -> reconcilers.forEach(r -> r.poke(id)));
  }

  /** This agent holds its node's Lease (again): every guest it left alone meanwhile is looked at now. */
  private void onLeaseAcquired() {
    if (operator == null) {
      return; // starting: the controllers reconcile every guest when they start
    }
    LOG.info("agent {} acts for node {}; resyncing every guest", leases.identity(), config.nodeName());
    reconcilers.forEach(GuestReconciler::pokeAll);
    if (scanner != null) {
      scanner.execute(this::scanQuietly);
    }
  }

  private void onReconnect() {
    LOG.info("libvirt connection is back; resyncing every guest of node {}", config.nodeName());
    handler.retryNow();
    machineTypes.forget();
    NodeState stale = nodeState.getAndSet(null);
    if (stale != null) {
      stale.sync().forgetNodeCapabilities();
    }
    reconcilers.forEach(GuestReconciler::pokeAll);
    if (scanner != null) {
      scanner.execute(this::scanQuietly);
    }
  }

  /** Domain names are {@code <namespace>_<name>}; neither part may contain an underscore. */
  static Optional<ResourceID> guestOf(String domainName) {
    int split = domainName.indexOf('_');
    if (split <= 0 || split == domainName.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new ResourceID(domainName.substring(split + 1), domainName.substring(0, split)));
  }

  private void scanQuietly() {
    try {
      scan();
    } catch (RuntimeException e) {
      LOG.warn("domain scan of node {} failed: {}", config.nodeName(), e.getMessage());
    }
  }

  /**
   * Looks at every vguest domain on the node: a domain whose guest object is gone is reported
   * (never deleted automatically); a domain of a guest that now lives on another node, which this
   * node no longer holds (an admin evacuated it), is removed so it cannot run twice. A guest the
   * watch holds as this node's is not read again; every other one is read from the API server, so
   * a removal is never decided on the watch's copy alone.
   */
  void scan() {
    if (!hypervisor.connected() || !leases.holding()) {
      return;
    }
    Set<String> found = new TreeSet<>();
    Map<String, VirtualGuest> watched = new HashMap<>();
    watchedGuests().forEach(g -> watched.put(g.getMetadata().getNamespace() + "/" + g.getMetadata().getName(), g));
    for (DomainView domain : hypervisor.listAll()) {
      if (!domain.managedByVguest()) {
        continue;
      }
      GuestMetadata metadata;
      try {
        metadata = GuestMetadata.parse(domain.vguestMetadataXml().get());
      } catch (RuntimeException e) {
        LOG.warn("domain {} has unreadable vguest metadata ({}); left alone", domain.name(), e.getMessage());
        continue;
      }
      VirtualGuest known = watched.get(metadata.namespace() + "/" + metadata.name());
      if (known != null && !heldElsewhere(known)) {
        continue; // the watch has the guest and it is this node's: nothing to do, and no read
      }
      VirtualGuest guest = client.resources(VirtualGuest.class).inNamespace(metadata.namespace())
          .withName(metadata.name()).get();
      if (guest == null) {
        found.add(metadata.namespace() + "/" + metadata.name());
        continue;
      }
      if (heldElsewhere(guest)) {
        LOG.warn("{}/{}: node {} holds it now (evacuated); removing the stale domain {} here",
            metadata.namespace(), metadata.name(), guest.getStatus().node, domain.name());
        try {
          hypervisor.destroy(domain.name());
        } catch (HypervisorException e) {
          // already off
        }
        hypervisor.undefine(domain.name());
      }
    }
    Set<String> previous = orphans.getAndSet(Set.copyOf(found));
    for (String orphan : found) {
      if (!previous.contains(orphan)) {
        LOG.warn("domain of {} exists on node {} but the VirtualGuest does not; left as it is (undefine it with "
            + "virsh, or re-create the guest to adopt it)", orphan, config.nodeName());
      }
    }
  }

  /**
   * The guest lives on another node, another node reports its domain in the status, and this
   * node's claim is gone. Only the status decides, never the claim annotation alone: an
   * annotation can be set by anyone who may edit the guest, the status only by the agents.
   */
  private boolean heldElsewhere(VirtualGuest guest) {
    String me = config.nodeName();
    String reported = guest.getStatus() == null ? null : guest.getStatus().node;
    return !me.equals(guest.getSpec().nodeName) && reported != null && !reported.equals(me)
        && !me.equals(GuestHandler.holder(guest));
  }

  /**
   * The guests the agent's watches hold, each once: a guest whose spec.nodeName and status.node
   * both name this node is in both watches; the copy with the higher resourceVersion counts.
   */
  private List<VirtualGuest> watchedGuests() {
    Map<ResourceID, VirtualGuest> guests = new HashMap<>();
    reconcilers.forEach(r -> r.cached().forEach(g -> guests.merge(ResourceID.fromResource(g), g,
        (one, other) -> GuestReconciler.resourceVersion(other) > GuestReconciler.resourceVersion(one) ? other : one)));
    return new ArrayList<>(guests.values());
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  /** Liveness: the controllers run, and so does libvirt's event loop once a connection was made. */
  public boolean live() {
    return operator != null && operator.getRuntimeInfo().isStarted()
        && metered.eventLoopAlive();
  }

  /** Readiness: every watch has synced and is healthy. */
  public boolean watchesSynced() {
    return live() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Whether this agent acts for its node: it holds the node's Lease (see {@link NodeLeases#holding()}). */
  public boolean holdsNodeLease() {
    return leases.holding();
  }

  /** Why this agent is not ready, or empty when it is: watches, the node's Lease, libvirt. */
  public Optional<String> notReady() {
    if (!watchesSynced()) {
      return Optional.of("watches not synced");
    }
    if (!leases.holding()) {
      return Optional.of(leases.otherHolder().map(other -> "lease " + config.leaseNamespace() + "/"
          + NodeLeases.leaseName(config.nodeName()) + " is held by another agent for node " + config.nodeName()
          + ": " + other + " (this agent is " + leases.identity() + ")")
          .orElse("lease " + config.leaseNamespace() + "/" + NodeLeases.leaseName(config.nodeName())
              + " not renewed"));
    }
    if (!hypervisor.connected()) {
      return Optional.of("libvirt not connected");
    }
    return Optional.empty();
  }

  /** vguest domains on this node whose VirtualGuest is gone, as namespace/name. */
  public Set<String> orphans() {
    return orphans.get();
  }

  public WatchFilter watchFilter() {
    return filter;
  }

  public GuestWriter writer() {
    return writer;
  }

  public boolean started() {
    return operator != null;
  }

  @Override
  public void close() {
    if (scanner != null) {
      scanner.shutdownNow();
    }
    if (operator != null) {
      operator.stop();
    }
    leases.close();
  }
}
