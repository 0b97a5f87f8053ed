package io.vguest.e2e;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.VirtType;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.GuestValidator;
import io.vguest.guest.NodeFacts;
import io.vguest.guest.OperatorVersion;
import io.vguest.guest.Violation;
import io.vguest.identity.SerialPolicy;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.libvirt.NodeFactsReader;
import io.vguest.reconcile.GuestSync;
import io.vguest.reconcile.SyncResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the node agent does on one node, built from the framework-independent pieces (validator,
 * stamper, {@link GuestSync}) on a {@link LibvirtHypervisor} connected to this node's daemon. It is
 * the seam where the real agent ({@code io.vguest.operator.NodeAgent}) plugs in: its methods are
 * the agent's reactions to a guest's spec.
 */
final class E2eNode implements AutoCloseable {

  /** The storage pool every node allows; both nodes' pools share one directory, like shared storage. */
  static final String POOL = "e2e";
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  final String name;
  final LibvirtDaemon daemon;
  final GuestSettings settings;
  final Path machineIdFile;
  private LibvirtHypervisor hypervisor;
  private NodeFacts facts;
  private GuestSync sync;

  E2eNode(String name, LibvirtDaemon daemon, String identitySeed, boolean exposeChassisSerial) throws IOException {
    this.name = name;
    this.daemon = daemon;
    Path consoles = Files.createDirectories(daemon.dir.resolve("console"));
    this.settings = new GuestSettings(identitySeed, VirtType.QEMU, SerialPolicy.UNIQUE,
        GuestSettings.SmbiosDefaults.VGUEST, exposeChassisSerial, true, Set.of(POOL), OperatorVersion.get(),
        consoles.toString());
    // Each node has a machine-id of its own (they share the host's), so host serials differ.
    this.machineIdFile = daemon.dir.resolve("machine-id");
    Files.writeString(machineIdFile, machineId(name) + "\n");
  }

  /** Connects to the node's daemon and reads its facts, as the agent does at start. */
  void connect() throws InterruptedException {
    hypervisor = new LibvirtHypervisor(daemon.uri());
    if (!hypervisor.awaitConnected(Duration.ofSeconds(30))) {
      throw new IllegalStateException("cannot connect to " + daemon);
    }
    facts = NodeFactsReader.read(hypervisor, name, machineIdFile, DefinitionBuilder.HostSerialSource.OS);
    sync = new GuestSync(hypervisor, settings, facts, SHUTDOWN_GRACE);
  }

  LibvirtHypervisor hypervisor() {
    return hypervisor;
  }

  NodeFacts facts() {
    return facts;
  }

  /** The node's serial (its machine-id as a UUID), what serial policy host gives a guest here. */
  String hostSerial() {
    return facts.hostSerial();
  }

  /**
   * Reconciles a guest this node is asked to run: validate, stamp what is unset, sync the domain.
   * Returns the stamped guest with the status the sync computed.
   */
  VirtualGuest reconcile(VirtualGuest guest, GuestDeviceProfile profile) {
    List<Violation> violations = new GuestValidator(settings.allowedPools()).validate(guest);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid guest: " + violations);
    }
    GuestStamper.Stamp stamp = new GuestStamper(settings, facts).stamp(guest, profile);
    VirtualGuest stamped = stamp.guest();
    if (stamp.changed()) {
      stamped.getMetadata().setGeneration(generationOf(guest) + 1);
    }
    String domain = domainName(stamped);
    boolean running = hypervisor.lookup(domain).map(d -> d.state() == DomainState.RUNNING).orElse(false);
    if (!running) {
      forgetConsole(stamped); // the next boot's report starts a fresh file
    }
    SyncResult result = sync.sync(stamped);
    stamped.setStatus(result.status());
    return stamped;
  }

  /**
   * Lets a guest go that now belongs elsewhere (or is deleted): shuts it down, then undefines its
   * domain. Returns whether this node held it.
   */
  boolean release(VirtualGuest guest) {
    String domain = domainName(guest);
    Optional<DomainView> view = hypervisor.lookup(domain);
    if (view.isEmpty() || !view.get().managedByVguest()) {
      return false;
    }
    if (view.get().state() != DomainState.STOPPED) {
      hypervisor.shutdown(domain, SHUTDOWN_GRACE);
    }
    hypervisor.undefine(domain);
    return true;
  }

  /** Where the guest's serial console is written on this node. */
  Path console(VirtualGuest guest) {
    return Path.of(settings.consoleLogDir(), domainName(guest) + ".log");
  }

  void forgetConsole(VirtualGuest guest) {
    try {
      Files.deleteIfExists(console(guest));
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the old console of " + domainName(guest), e);
    }
  }

  /** Waits for the booted guest's report on its console. */
  GuestReport awaitReport(VirtualGuest guest) {
    return GuestConsole.await(this, domainName(guest), console(guest));
  }

  static String domainName(VirtualGuest guest) {
    String namespace = guest.getMetadata().getNamespace();
    return DefinitionBuilder.domainName(namespace == null ? "default" : namespace, guest.getMetadata().getName());
  }

  private static long generationOf(VirtualGuest guest) {
    Long generation = guest.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /** A fixed, distinct machine-id per node name (32 hex digits). */
  static String machineId(String node) {
    return java.util.UUID.nameUUIDFromBytes(("vguest-e2e-" + node).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString().replace("-", "");
  }

  @Override
  public void close() {
    if (hypervisor != null) {
      hypervisor.close();
    }
  }

  @Override
  public String toString() {
    return "node " + name;
  }
}
