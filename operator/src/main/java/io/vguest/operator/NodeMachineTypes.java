package io.vguest.operator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.devices.DeviceResolver;
import io.vguest.domain.OfferedMachineTypes;
import io.vguest.domain.xml.HostCapabilities;
import io.vguest.guest.MachineTypePin;
import io.vguest.libvirt.Hypervisor;
import io.vguest.reconcile.MachineTypeDeprecation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine types this node's QEMU offers and deprecates, read from libvirt's capabilities once
 * (and again after libvirt reconnects: QEMU may have been upgraded meanwhile), and what follows for
 * the guests whose domain is here: the {@link MachineTypeDeprecation} condition in their status, a
 * Warning event when it appears (so once, not at every resync), and two metrics. The guest itself
 * is never changed.
 */
final class NodeMachineTypes {

  private static final Logger LOG = LoggerFactory.getLogger(NodeMachineTypes.class);

  /** Event reason when a guest's machine type is first reported deprecated. */
  static final String EVENT_REASON = MachineTypeDeprecation.CONDITION;

  private final Hypervisor hypervisor;
  private final String node;
  private final Clock clock;
  private volatile OfferedMachineTypes offered;
  private volatile MultiGauge deprecatedOnNode;

  NodeMachineTypes(Hypervisor hypervisor, String node, Clock clock) {
    this.hypervisor = hypervisor;
    this.node = node;
    this.clock = clock;
  }

  /** Reports nothing: for a handler built without a node (tests of other steps). */
  static NodeMachineTypes none() {
    return new NodeMachineTypes(null, "", Clock.systemUTC());
  }

  /** Forgets the node's machine types; the next guest reads them again. */
  void forget() {
    offered = null;
  }

  /**
   * The status to write, with the guest's {@link MachineTypeDeprecation#CONDITION} condition set
   * when its domain is on this node and its machine type is deprecated here, and without it
   * otherwise. When the node's types cannot be read, the guest's current condition is kept.
   */
  VirtualGuestStatus report(VirtualGuest guest, VirtualGuestStatus status) {
    if (hypervisor == null || status == null) {
      return status;
    }
    VirtualGuestStatus previous = guest.getStatus();
    if (!node.equals(status.node)) {
      return MachineTypeDeprecation.withCondition(status, previous, Optional.empty(), null, clock.instant());
    }
    OfferedMachineTypes types = offered();
    if (types == null) {
      return MachineTypeDeprecation.carriedOver(status, previous);
    }
    VirtualGuestSpec spec = guest.getSpec();
    String machine = MachineTypePin.effective(spec, new DeviceResolver(Map.of())); // pinned, else as requested
    String field = machine != null && !machine.equals(spec.machineType) ? "spec.identity.machineType"
        : "spec.machineType";
    Optional<String> message = MachineTypeDeprecation.message(guest.getMetadata().getNamespace(),
        guest.getMetadata().getName(), machine, field, node, types.all(), types.deprecated());
    return MachineTypeDeprecation.withCondition(status, previous, message, guest.getMetadata().getGeneration(),
        clock.instant());
  }

  /** After a status write: a Warning event when the condition appeared, so each guest gets it once. */
  void announce(VirtualGuest guest, VirtualGuestStatus written, GuestEvents events) {
    if (MachineTypeDeprecation.reported(written) && !MachineTypeDeprecation.reported(guest.getStatus())) {
      String message = io.vguest.reconcile.StatusBuilder.condition(written, MachineTypeDeprecation.CONDITION)
          .getMessage();
      LOG.warn("{}: {}", GuestHandler.key(guest), message);
      events.warning(guest, EVENT_REASON, message);
    }
  }

  /** The node's machine types, read once; null when libvirt cannot say right now. */
  OfferedMachineTypes offered() {
    OfferedMachineTypes known = offered;
    if (known != null || hypervisor == null) {
      return known;
    }
    synchronized (this) { // guests reconciled at once read the node's types once
      return offered != null ? offered : read();
    }
  }

  private OfferedMachineTypes read() {
    OfferedMachineTypes known;
    try {
      known = HostCapabilities.parse(hypervisor.hostCapabilitiesXml()).offeredMachineTypes();
    } catch (RuntimeException unreadable) { // no connection, or capabilities it cannot parse
      LOG.debug("node {}: machine types not read ({}); deprecations reported when they are", node,
          unreadable.getMessage());
      return null;
    }
    offered = known;
    if (!known.deprecated().isEmpty()) {
      LOG.info("node {}: QEMU marks these machine types deprecated: {}", node, known.deprecated());
    }
    MultiGauge gauge = deprecatedOnNode;
    if (gauge != null) {
      gauge.register(rows(known), true);
    }
    return known;
  }

  /**
   * Registers {@code vguest_guests_deprecated_machine_type} (guests whose domain is here and whose
   * machine type this node deprecates, read from their status at scrape time) and
   * {@code vguest_node_deprecated_machine_type{machine_type}} (1 for each type this node's QEMU
   * deprecates, known once the node's types were read).
   */
  void register(MeterRegistry registry, Supplier<List<VirtualGuest>> guests) {
    Gauge.builder("vguest_guests_deprecated_machine_type", () -> guests.get().stream()
            .filter(g -> g.getStatus() != null && node.equals(g.getStatus().node)
                && MachineTypeDeprecation.reported(g.getStatus())).count())
        .description("Guests whose domain is on this node and whose machine type this node's QEMU marks deprecated "
            + "(condition MachineTypeDeprecated)")
        .register(registry);
    deprecatedOnNode = MultiGauge.builder("vguest_node_deprecated_machine_type")
        .description("Machine types this node's QEMU offers but marks deprecated (1 per type)")
        .register(registry);
    OfferedMachineTypes known = offered;
    if (known != null) {
      deprecatedOnNode.register(rows(known), true);
    }
  }

  private static List<MultiGauge.Row<?>> rows(OfferedMachineTypes types) {
    return types.deprecated().stream()
        .<MultiGauge.Row<?>>map(type -> MultiGauge.Row.of(Tags.of("machine_type", type), 1))
        .toList();
  }
}
