package io.vguest.reconcile;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceProblem;
import io.vguest.devices.DeviceResolver;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DeviceUsage;
import io.vguest.devices.DomainCapabilities;
import io.vguest.devices.FirmwareChoices;
import io.vguest.devices.NodeDeviceCheck;
import io.vguest.devices.NodeFirmwareCheck;
import io.vguest.domain.LibvirtVersion;
import io.vguest.domain.VirtType;
import io.vguest.domain.xml.DomainCapabilitiesXml;
import io.vguest.domain.xml.HostCapabilities;
import io.vguest.guest.DeviceUsages;
import io.vguest.guest.MachineTypePin;
import io.vguest.guest.Violation;
import io.vguest.libvirt.HostFacts;
import io.vguest.libvirt.Hypervisor;
import io.vguest.libvirt.HypervisorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers, before anything is defined, whether a guest's device choices work on this node: the
 * rules that hold everywhere ({@link DeviceRules}) and what the node's hypervisor offers for the
 * guest's machine type ({@link NodeDeviceCheck}, from libvirt's domain capabilities). Domain
 * capabilities are read once per machine type and kept until {@link #forget()} (call it after a
 * reconnect: the node's QEMU may have been upgraded meanwhile).
 *
 * <p>Where the driver offers no domain capabilities (libvirt's test driver), only the static rules
 * apply; the report says so and the log says so once.
 */
public final class NodeDeviceSupport {

  private static final Logger LOG = LoggerFactory.getLogger(NodeDeviceSupport.class);

  /** What the node says about one machine type. */
  public enum Status {
    /** libvirt reported the machine type's domain capabilities. */
    KNOWN,
    /** The driver offers no domain capabilities (e.g. libvirt's test driver): nothing node-specific is known. */
    UNKNOWN,
    /** The node's emulator has no such machine type. */
    MACHINE_UNSUPPORTED
  }

  /**
   * @param capabilities the domain capabilities when {@link Status#KNOWN}, else null
   * @param message libvirt's refusal when {@link Status#MACHINE_UNSUPPORTED}, else null
   */
  public record Lookup(Status status, DomainCapabilities capabilities, String message) {}

  /**
   * The outcome of a check.
   *
   * @param violations every problem, each naming the field, the value and what is allowed; empty when fine
   * @param nodeChecked whether the node's domain capabilities were checked (false: static rules only)
   * @param machineType the versioned machine type the guest's machine type stands for on this node
   *     (the spec's own value when the node cannot say)
   */
  public record Report(List<Violation> violations, boolean nodeChecked, String machineType) {
    public Report {
      violations = List.copyOf(violations);
    }

    public boolean ok() {
      return violations.isEmpty();
    }
  }

  private final Hypervisor hypervisor;
  private final VirtType virtType;
  private final Map<String, Lookup> byMachine = new ConcurrentHashMap<>();
  private final AtomicBoolean toldUnknown = new AtomicBoolean();
  private volatile Long qemuVersion;

  public NodeDeviceSupport(Hypervisor hypervisor, VirtType virtType) {
    this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
    this.virtType = Objects.requireNonNull(virtType, "virtType");
  }

  /**
   * What the node offers for a machine type (an alias or a versioned type). Failures other than an
   * unknown machine type (a lost connection) are thrown and not remembered.
   */
  public Lookup lookup(String machineType) {
    Objects.requireNonNull(machineType, "machineType");
    Lookup known = byMachine.get(machineType);
    if (known != null) {
      return known;
    }
    Lookup lookup = read(machineType);
    byMachine.put(machineType, lookup);
    return lookup;
  }

  /** The versioned machine type an alias stands for on this node ({@code q35} to {@code pc-q35-7.2}); else as given. */
  public String canonicalMachineType(String machineType) {
    if (machineType == null) {
      return null;
    }
    Lookup lookup = lookup(machineType);
    return lookup.status() == Status.KNOWN ? lookup.capabilities().machine() : machineType;
  }

  /** Checks a (stamped) guest's device choices, disk buses and NIC models on this node. */
  public Report check(VirtualGuest guest) {
    VirtualGuestSpec spec = guest.getSpec();
    String guestName = guest.getMetadata().getNamespace() + "/" + guest.getMetadata().getName();
    List<Violation> violations = new ArrayList<>();
    String machine = MachineTypePin.effective(spec, new DeviceResolver(Map.of())); // pinned, else as requested
    boolean pinned = machine != null && !machine.equals(spec.machineType);
    Lookup lookup = machine == null ? new Lookup(Status.UNKNOWN, null, null) : lookup(machine);
    if (lookup.status() == Status.MACHINE_UNSUPPORTED) {
      violations.add(new Violation(pinned ? "spec.identity.machineType" : "spec.machineType", "Unsupported value: \""
          + machine + "\": " + lookup.message() + (pinned ? " (the machine type pinned when the guest was first "
          + "defined; it is never changed behind the guest's back: move the guest to a node that offers it, or set "
          + "spec.machineType to choose another)" : "") + "; " + offered(machine)));
    }
    String canonical = lookup.status() == Status.KNOWN ? lookup.capabilities().machine() : machine;
    DeviceUsage usage = DeviceUsages.of(spec, canonical);
    add(violations, DeviceRules.check(usage));
    boolean nodeChecked = lookup.status() == Status.KNOWN;
    if (nodeChecked) {
      add(violations, NodeDeviceCheck.check(lookup.capabilities(), qemuVersion(), usage));
      if (spec.firmware != null) {
        add(violations, NodeFirmwareCheck.check(lookup.capabilities(),
            new FirmwareChoices(spec.firmware.bootMode, spec.firmware.secureBoot, spec.firmware.tpm)));
      }
    } else if (lookup.status() == Status.UNKNOWN && machine != null) {
      LOG.debug("guest {}: device choices checked against the static rules only (no domain capabilities)", guestName);
    }
    return new Report(violations, nodeChecked, canonical);
  }

  /** The node's machine types of the same family, as a refusal names them. */
  private String offered(String machineType) {
    try {
      return "this node offers " + String.join(", ",
          HostCapabilities.parse(hypervisor.hostCapabilitiesXml()).offeredMachineTypes().sameFamilyAs(machineType));
    } catch (RuntimeException unreadable) {
      return "`virsh capabilities` on the node lists the machine types it offers";
    }
  }

  /** Forgets what was read, so the next check reads the node's domain capabilities again. */
  public void forget() {
    byMachine.clear();
    qemuVersion = null;
  }

  private Lookup read(String machineType) {
    try {
      return hypervisor.domainCapabilitiesXml(machineType, virtType.xml())
          .map(xml -> new Lookup(Status.KNOWN, DomainCapabilitiesXml.parse(xml), null))
          .orElseGet(() -> {
            if (toldUnknown.compareAndSet(false, true)) {
              LOG.info("libvirt offers no domain capabilities on this node; device choices are checked against the "
                  + "static rules only");
            }
            return new Lookup(Status.UNKNOWN, null, null);
          });
    } catch (HypervisorException e) {
      if (e.is(HypervisorException.Kind.INVALID_CONFIG)) {
        LOG.info("machine type {} ({}) is not offered on this node: {}", machineType, virtType.xml(), e.getMessage());
        return new Lookup(Status.MACHINE_UNSUPPORTED, null, stripPrefix(e.getMessage()));
      }
      throw e;
    }
  }

  private long qemuVersion() {
    Long known = qemuVersion;
    if (known == null) {
      HostFacts facts = hypervisor.hostFacts();
      known = "QEMU".equalsIgnoreCase(facts.hypervisorType()) ? LibvirtVersion.number(facts.hypervisorVersion())
          : 0L;
      qemuVersion = known;
    }
    return known;
  }

  /** "read domain capabilities: invalid argument: the machine ..." to "the machine ...". */
  private static String stripPrefix(String message) {
    String m = message == null ? "not offered" : message;
    for (String prefix : new String[] {"read domain capabilities: ", "invalid argument: "}) {
      if (m.startsWith(prefix)) {
        m = m.substring(prefix.length());
      }
    }
    return m;
  }

  private static void add(List<Violation> violations, List<DeviceProblem> problems) {
    for (DeviceProblem p : problems) {
      Violation v = new Violation(p.field(), p.message());
      if (!violations.contains(v)) {
        violations.add(v);
      }
    }
  }
}
