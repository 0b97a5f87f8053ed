package io.vguest.reconcile;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DeviceAddressReader;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.RenderedDomain;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.InvalidGuestException;
import io.vguest.guest.VolumePaths;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import io.vguest.reconcile.Observation.Failure;
import io.vguest.reconcile.SyncResult.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of one guest, in steps: build and render the definition; check the node offers its
 * devices; look the domain up; stop it for runStrategy Halted; define a missing domain, redefine
 * an out-of-date shut-off one, or hold an out-of-date running one; start it for runStrategy
 * Always; observe what it is now. The guest comes in validated and stamped; what the pass did and
 * saw goes out as an {@link Observation}, libvirt failures included.
 */
final class SyncPass {

  private static final Logger LOG = LoggerFactory.getLogger(GuestSync.class);

  private final Hypervisor hypervisor;
  private final GuestSync sync;
  private final VirtualGuest guest;
  private final String key;
  private final String domainName;
  private final RunStrategy strategy;
  private final List<Action> actions = new ArrayList<>();
  private GuestDefinition definition;
  private RenderedDomain rendered;
  private List<String> pending;
  private DomainFacts defined;

  SyncPass(GuestSync sync, VirtualGuest guest) {
    this.sync = sync;
    this.hypervisor = sync.hypervisor;
    this.guest = guest;
    this.key = GuestSync.namespaceOf(guest) + "/" + guest.getMetadata().getName();
    this.domainName = DefinitionBuilder.domainName(GuestSync.namespaceOf(guest), guest.getMetadata().getName());
    this.strategy = guest.getSpec().runStrategy == null ? RunStrategy.Always : guest.getSpec().runStrategy;
  }

  Observation run() {
    try {
      definition = buildDefinition();
    } catch (InvalidGuestException e) {
      return invalid(e);
    } catch (HypervisorException e) {
      return failed(e); // looking up a kernel or initrd path
    }
    try {
      rendered = sync.renderer.render(definition);
    } catch (IllegalArgumentException unwritable) {
      // The validator refuses every value the XML writer would; this keeps a gap between the
      // two from failing the sync over and over without a word in the guest's status.
      return invalid(new InvalidGuestException("Invalid", List.of("a value cannot be written into the domain XML ("
          + unwritable.getMessage() + ")")));
    }
    String name = definition.domainName();
    try {
      NodeDeviceSupport.Report devices = sync.deviceSupport.check(guest);
      if (!devices.ok()) {
        return unsupported(devices);
      }
      Optional<DomainView> existing = hypervisor.lookup(name);
      if (existing.isPresent() && !existing.get().managedByVguest()) {
        return foreign(name);
      }
      DomainView domain = existing.orElse(null);
      if (strategy == RunStrategy.Halted) {
        domain = stopForHalted(domain);
      }
      domain = defineOrHold(domain);
      if (strategy == RunStrategy.Always) {
        domain = startIfStopped(domain);
      }
      return observe(domain);
    } catch (HypervisorException e) {
      return failed(e);
    }
  }

  /** The definition, with the paths of kernel and initrd volumes looked up on this node. */
  private GuestDefinition buildDefinition() {
    return sync.definitions.build(guest, VolumePaths.of(hypervisor::volumePath, hypervisor::blankVolumeFormat,
        hypervisor::poolDirectory));
  }

  /** Not rendered; the domain is left as it is, only its state is read for the status. */
  private Observation invalid(InvalidGuestException e) {
    Reason reason = Reason.fromInvalid(e.reason());
    LOG.info("{}: not synced, {}: {}", key, reason, e.getMessage());
    DomainState state = sync.stateForStatus(domainName);
    return observation(state, new Failure(reason, e.getMessage() + "; the domain was left unchanged"));
  }

  /** A device choice this node's hypervisor cannot provide: nothing is defined or changed. */
  private Observation unsupported(NodeDeviceSupport.Report report) {
    String message = report.violations().stream().map(Object::toString)
        .collect(java.util.stream.Collectors.joining("; "))
        + "; change the value (or move the guest to a node that offers it), the domain was left unchanged";
    LOG.info("{}: not synced, {}: {}", key, Reason.UnsupportedByNode, message);
    DomainState state = hypervisor.lookup(definition.domainName()).filter(DomainView::managedByVguest)
        .map(DomainView::state).orElse(null);
    return observation(state, new Failure(Reason.UnsupportedByNode, message));
  }

  private Observation foreign(String name) {
    LOG.warn("{}: domain {} exists without vguest metadata; left alone", key, name);
    return observation(null, new Failure(Reason.ForeignDomain, "node " + sync.node.nodeName() + " has a domain named "
        + name + " that vguest did not define (no vguest metadata); vguest never touches it. Rename or remove "
        + "that domain, or put the guest on another node"));
  }

  /** runStrategy Halted: shut down gracefully, forced off after the grace period. */
  private DomainView stopForHalted(DomainView domain) {
    if (domain == null || domain.state() == DomainState.STOPPED) {
      return domain;
    }
    boolean clean = hypervisor.shutdown(domain.name(), sync.shutdownGrace);
    actions.add(Action.STOPPED);
    LOG.info("{}: runStrategy Halted, domain {} {}", key, domain.name(),
        clean ? "shut down" : "forced off after " + sync.shutdownGrace);
    return reread(domain.name());
  }

  /**
   * Defines a missing domain, redefines an out-of-date shut-off one, holds an out-of-date running
   * one. Whether the domain is up to date is the render hash its metadata records (the lookup
   * returned it): no need to read the domain's XML unless a change is held, whose fields are named.
   */
  private DomainView defineOrHold(DomainView domain) {
    if (domain == null) {
      createBlankVolumes();
      restoreTpmState();
      DomainView created = hypervisor.define(rendered.xml());
      adoptAddresses(definition.domainName());
      actions.add(Action.DEFINED);
      pending = List.of();
      LOG.info("{}: defined domain {} ({})", key, definition.domainName(), rendered.hash());
      return created;
    }
    GuestMetadata recorded = metadataOf(domain);
    keepRecordedAddresses(recorded);
    String definedHash = recorded == null ? null : recorded.renderHash();
    if (rendered.hash().equals(definedHash)) {
      // The metadata is part of what was rendered and records its hash: the domain is that XML.
      pending = List.of();
      defined = new DomainFacts(rendered.model());
      return domain;
    }
    if (domain.state() == DomainState.STOPPED) {
      createBlankVolumes();
      DomainView redefined = hypervisor.define(rendered.xml());
      adoptAddresses(domain.name());
      actions.add(Action.REDEFINED);
      pending = List.of();
      LOG.info("{}: redefined shut-off domain {} ({} -> {})", key, domain.name(), definedHash, rendered.hash());
      return redefined;
    }
    defined = DomainFacts.parse(hypervisor.dumpXml(domain.name()));
    pending = PendingChanges.between(defined.domain(), rendered.model());
    actions.add(Action.HELD);
    LOG.info("{}: domain {} is {} and out of date; held until it stops: {}", key, domain.name(), domain.state(),
        pending);
    return domain;
  }

  /** The vguest metadata of a domain as its lookup returned it; null when it is unreadable. */
  private static GuestMetadata metadataOf(DomainView domain) {
    try {
      return domain.vguestMetadataXml().map(GuestMetadata::parse).orElse(null);
    } catch (IllegalArgumentException unreadable) {
      return null;
    }
  }

  /**
   * Addresses the defined domain records that the spec does not have yet (their stamp was lost
   * between the define and the write) are rendered as recorded, never given up.
   */
  private void keepRecordedAddresses(GuestMetadata recorded) {
    var identity = recorded == null ? null : recorded.identity();
    if (identity == null || definition.deviceAddresses().keySet().containsAll(identity.deviceAddresses().keySet())) {
      return;
    }
    java.util.SortedMap<String, String> merged = new java.util.TreeMap<>(identity.deviceAddresses());
    merged.putAll(definition.deviceAddresses());
    definition = definition.withDeviceAddresses(merged);
    rendered = sync.renderer.render(definition);
  }

  /**
   * After a (re)define, before any start: takes the addresses libvirt gave the devices that had
   * none stamped and defines them in, so the domain is already what the spec renders once the
   * caller stamps them ({@link SyncResult#definition()} carries them). Nothing happens when every
   * device had its address.
   */
  private void adoptAddresses(String name) {
    String definedXml = hypervisor.dumpXml(name);
    java.util.SortedMap<String, String> merged = DeviceAddressReader.read(definedXml, definition);
    merged.putAll(definition.deviceAddresses()); // a stamped or written address always wins
    if (merged.equals(definition.deviceAddresses())) {
      defined = DomainFacts.parse(definedXml);
      return;
    }
    definition = definition.withDeviceAddresses(merged);
    rendered = sync.renderer.render(definition);
    hypervisor.define(rendered.xml());
    // Defined with every address libvirt would give: the domain is the rendered XML, not read again.
    defined = new DomainFacts(rendered.model());
    LOG.info("{}: took the device addresses libvirt gave domain {} ({})", key, name, rendered.hash());
  }

  /**
   * Blank disks get their volume before the domain that uses them is defined; an existing volume
   * is kept as it is (a blank data disk keeps its data across redefines and moves).
   */
  private void createBlankVolumes() {
    for (Disk disk : GuestSync.disksOf(guest)) {
      if (disk.source == null || disk.source.blank == null) {
        continue;
      }
      String volume = DefinitionBuilder.blankVolumeName(GuestSync.namespaceOf(guest), guest.getMetadata().getName(),
          disk.name);
      if (!hypervisor.volumeExists(disk.source.blank.pool, volume)) {
        hypervisor.createVolume(disk.source.blank.pool, volume, disk.source.blank.size.getNumericalAmount()
            .setScale(0, java.math.RoundingMode.CEILING).longValueExact());
        LOG.info("{}: created volume {}/{} for blank disk {}", key, disk.source.blank.pool, volume, disk.name);
      }
    }
  }

  /** runStrategy Always: start a domain found shut off (after any redefine). */
  private DomainView startIfStopped(DomainView domain) {
    if (domain.state() != DomainState.STOPPED && domain.state() != DomainState.CRASHED) {
      return domain;
    }
    hypervisor.start(domain.name());
    actions.add(Action.STARTED);
    LOG.info("{}: runStrategy Always, started domain {}", key, domain.name());
    return reread(domain.name());
  }

  /**
   * Before the domain is defined on this node: its TPM state, saved on whichever node ran it
   * last, goes where this node's libvirt looks for it, so the guest never finds a new TPM.
   */
  private void restoreTpmState() {
    if (definition.firmware().hasTpm()) {
      try {
        var volume = definition.firmware().tpmState();
        if (hypervisor.volumeExists(volume.pool(), volume.volume())) {
          sync.tpmStates.restore(definition.uuid(), volume);
        }
      } catch (java.io.UncheckedIOException e) {
        throw new HypervisorException(HypervisorException.Kind.OTHER, e.getMessage(), null, e);
      }
    }
  }

  /** A shut-off guest's TPM state is saved into its volume whenever it changed. */
  private void saveTpmState(DomainView domain) {
    if (definition.firmware().hasTpm() && domain.state() == DomainState.STOPPED) {
      try {
        sync.tpmStates.save(definition.uuid(), definition.firmware().tpmState());
      } catch (HypervisorException | java.io.UncheckedIOException e) {
        LOG.warn("{}: TPM state not saved yet, retried at the next sync: {}", key, e.getMessage());
      }
    }
  }

  private Observation observe(DomainView domain) {
    saveTpmState(domain);
    if (defined == null) {
      defined = DomainFacts.parse(hypervisor.dumpXml(domain.name()));
    }
    return observation(domain.state(), null);
  }

  private Observation failed(HypervisorException e) {
    Reason reason = switch (e.kind()) {
      case CONNECTION_LOST -> Reason.HypervisorUnavailable;
      case INVALID_CONFIG, CONFLICT -> Reason.DomainRejected;
      default -> Reason.HypervisorError;
    };
    LOG.warn("{}: sync failed after {}, {}: {}", key, actions, reason, e.getMessage());
    DomainState state = sync.stateForStatus(domainName);
    String message = switch (reason) {
      case HypervisorUnavailable -> "no connection to libvirt on node " + sync.node.nodeName() + " (" + e.getMessage()
          + "); retried when it is back";
      case DomainRejected -> "libvirt rejected domain " + domainName + ": " + e.getMessage();
      default -> "libvirt failed on domain " + domainName + ": " + e.getMessage();
    };
    return observation(state, new Failure(reason, message));
  }

  private DomainView reread(String name) {
    return hypervisor.lookup(name).orElseThrow(() -> new HypervisorException(HypervisorException.Kind.NOT_FOUND,
        "domain " + name + " disappeared while it was being synced"));
  }

  private Observation observation(DomainState state, Failure failure) {
    return new Observation(actions.isEmpty() ? List.of(Action.NONE) : actions, state, definition,
        rendered == null ? null : rendered.hash(), pending, failure, defined, strategy, GuestSync.diskTags(guest));
  }
}
