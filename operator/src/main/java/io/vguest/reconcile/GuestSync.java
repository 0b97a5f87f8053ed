package io.vguest.reconcile;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.devices.DiskRole;
import io.vguest.domain.DomainRenderer;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.reconcile.Observation.Failure;
import io.vguest.reconcile.SyncResult.Action;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one node's libvirt domain of a guest in line with the guest's spec, independent of any
 * operator framework: the JOSDK reconciler and one-shot commands share it. The guest comes in
 * validated and stamped; one {@link SyncPass} builds its definition, renders it, defines or
 * redefines the domain (never while it runs) and applies the run strategy; this class turns what
 * the pass saw into the status, and removes domains. It writes nothing to Kubernetes and never
 * touches a domain without vguest metadata.
 */
public final class GuestSync {

  private static final Logger LOG = LoggerFactory.getLogger(GuestSync.class);

  final Hypervisor hypervisor;
  final NodeFacts node;
  final Duration shutdownGrace;
  private final Clock clock;
  final DefinitionBuilder definitions;
  final DomainRenderer renderer = new DomainRenderer();
  final NodeDeviceSupport deviceSupport;
  final TpmStateCarrier tpmStates;

  public GuestSync(Hypervisor hypervisor, GuestSettings settings, NodeFacts node, Duration shutdownGrace) {
    this(hypervisor, settings, node, shutdownGrace, Clock.systemUTC());
  }

  /** With the clock that stamps condition transition times (tests pass a fixed one). */
  public GuestSync(Hypervisor hypervisor, GuestSettings settings, NodeFacts node, Duration shutdownGrace,
      Clock clock) {
    this(hypervisor, settings, node, shutdownGrace, clock, TpmStateCarrier.DEFAULT_DIR);
  }

  /**
   * @param swtpmDir the node's swtpm state directory ({@code /var/lib/libvirt/swtpm}) as this
   *     process sees it, where TPM state is saved from and restored to
   */
  public GuestSync(Hypervisor hypervisor, GuestSettings settings, NodeFacts node, Duration shutdownGrace,
      Clock clock, java.nio.file.Path swtpmDir) {
    this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
    this.node = Objects.requireNonNull(node, "node");
    this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.definitions = new DefinitionBuilder(Objects.requireNonNull(settings, "settings"), node);
    this.deviceSupport = new NodeDeviceSupport(hypervisor, settings.virtType());
    this.tpmStates = new TpmStateCarrier(hypervisor, swtpmDir);
  }

  /** Forgets the node's domain capabilities (after libvirt reconnects, possibly to an upgraded daemon). */
  public void forgetNodeCapabilities() {
    deviceSupport.forget();
  }

  /** Syncs a validated and stamped guest; hypervisor failures end up in the result, not thrown. */
  public SyncResult sync(VirtualGuest stampedGuest) {
    Observation observed = new SyncPass(this, stampedGuest).run();
    VirtualGuestStatus status = StatusBuilder.build(stampedGuest.getStatus(),
        stampedGuest.getMetadata().getGeneration(), observed, node.nodeName(), clock.instant());
    return new SyncResult(observed, status);
  }

  /**
   * A failed sync's result with a note appended to its failure's message (when it is tried again),
   * so the guest's Ready condition says it.
   */
  public SyncResult retrying(VirtualGuest stampedGuest, SyncResult failed, String note) {
    Observation o = failed.observed();
    if (o.failure() == null) {
      return failed;
    }
    Observation noted = new Observation(o.actions(), o.state(), o.definition(), o.hash(), o.pendingChanges(),
        new Failure(o.failure().reason(), o.failure().message() + "; " + note), o.defined(), o.runStrategy(),
        o.diskTags());
    return new SyncResult(noted, StatusBuilder.build(stampedGuest.getStatus(),
        stampedGuest.getMetadata().getGeneration(), noted, node.nodeName(), clock.instant()));
  }

  /**
   * The status of a guest this node does not sync right now (invalid spec, a move in progress):
   * the domain is only looked at, never changed.
   */
  public SyncResult refuse(VirtualGuest guest, Reason reason, String message) {
    DomainState state = stateForStatus(domainName(guest));
    RunStrategy strategy = guest.getSpec().runStrategy == null ? RunStrategy.Always : guest.getSpec().runStrategy;
    Observation observed = new Observation(List.of(Action.NONE), state, null, null, null,
        new Failure(reason, message), null, strategy, diskTags(guest));
    VirtualGuestStatus status = StatusBuilder.build(guest.getStatus(), guest.getMetadata().getGeneration(), observed,
        node.nodeName(), clock.instant());
    return new SyncResult(observed, status);
  }

  /**
   * The state of vguest's domain of that name for a status that reports a refusal or failure:
   * null when there is none, {@link DomainState#OTHER} when libvirt cannot be asked.
   */
  DomainState stateForStatus(String domainName) {
    try {
      return hypervisor.lookup(domainName).filter(DomainView::managedByVguest).map(DomainView::state).orElse(null);
    } catch (HypervisorException unreadable) {
      return DomainState.OTHER;
    }
  }

  /** What {@link #remove} did. */
  public record Removal(boolean hadDomain, boolean forcedOff, List<String> deletedVolumes) {}

  /**
   * Takes a guest's domain off this node: shuts it down (forced off after the grace period),
   * undefines it, and with {@code deleteScratchVolumes} deletes the blank volumes vguest created
   * for its ephemeral and swap disks. Volumes of every other kind are kept. A domain without
   * vguest metadata is never touched.
   */
  public Removal remove(VirtualGuest guest, boolean deleteScratchVolumes) {
    String name = domainName(guest);
    Optional<DomainView> domain = hypervisor.lookup(name).filter(DomainView::managedByVguest);
    boolean forced = false;
    if (domain.isPresent()) {
      if (domain.get().state() != DomainState.STOPPED) {
        forced = !hypervisor.shutdown(name, shutdownGrace);
      }
      // libvirt deletes the node-local TPM state with the domain: it must be in its volume first.
      GuestFirmwareVolumes.of(guest).ifPresent(v -> v.saveTpmState(tpmStates));
      hypervisor.undefine(name);
      LOG.info("{}: undefined domain {}{}", keyOf(guest), name, forced ? " (forced off after " + shutdownGrace + ")"
          : "");
    }
    List<String> deleted = new ArrayList<>();
    if (deleteScratchVolumes) {
      for (Disk disk : disksOf(guest)) {
        if (disk.source != null && disk.source.blank != null
            && (disk.role == DiskRole.EPHEMERAL || disk.role == DiskRole.SWAP)) {
          String volume = DefinitionBuilder.blankVolumeName(namespaceOf(guest), guest.getMetadata().getName(),
              disk.name);
          if (hypervisor.deleteVolume(disk.source.blank.pool, volume)) {
            deleted.add(disk.source.blank.pool + "/" + volume);
          }
        }
      }
      GuestFirmwareVolumes.of(guest).ifPresent(v -> deleted.addAll(v.delete(hypervisor, tpmStates)));
      if (!deleted.isEmpty()) {
        LOG.info("{}: deleted scratch volumes {}", keyOf(guest), deleted);
      }
    }
    return new Removal(domain.isPresent(), forced, deleted);
  }

  /** The name of the domain a guest has on every node. */
  public static String domainName(VirtualGuest guest) {
    return DefinitionBuilder.domainName(namespaceOf(guest), guest.getMetadata().getName());
  }

  static List<Disk> disksOf(VirtualGuest guest) {
    return guest.getSpec().disks == null ? List.of() : guest.getSpec().disks;
  }

  private static String keyOf(VirtualGuest guest) {
    return namespaceOf(guest) + "/" + guest.getMetadata().getName();
  }

  static Map<String, String> diskTags(VirtualGuest guest) {
    Map<String, String> tags = new TreeMap<>();
    for (Disk disk : guest.getSpec().disks == null ? List.<Disk>of() : guest.getSpec().disks) {
      if (disk.name != null && disk.tag != null) {
        tags.put(disk.name, disk.tag);
      }
    }
    return tags;
  }

  static String namespaceOf(VirtualGuest guest) {
    String namespace = guest.getMetadata().getNamespace();
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }
}
