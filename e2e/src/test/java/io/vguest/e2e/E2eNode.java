package io.vguest.e2e;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.identity.HostSerialSource;
import io.vguest.libvirt.LibvirtHypervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * One node: its libvirt daemon, the settings its agent runs with (machine-id, chassis serial,
 * console directory), the agent process once started, and a libvirt connection of the suite's own
 * through which scenarios look at the node's domains (never change them).
 */
final class E2eNode implements AutoCloseable {

  /** The storage pool every node allows; both nodes' pools share one directory, like shared storage. */
  static final String POOL = "e2e";
  /** The agents' --shutdown-grace: the guest's init powers off at the ACPI button within a second. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  final String name;
  final LibvirtDaemon daemon;
  final boolean exposeChassisSerial;
  final Path machineIdFile;
  /** Where QEMU writes the guests' serial consoles (the agent's --console-log-dir). */
  final Path consoleDir;
  private LibvirtHypervisor hypervisor;
  AgentProcess agent;

  E2eNode(String name, LibvirtDaemon daemon, boolean exposeChassisSerial) throws IOException {
    this.name = name;
    this.daemon = daemon;
    this.exposeChassisSerial = exposeChassisSerial;
    this.consoleDir = Files.createDirectories(daemon.dir.resolve("console"));
    // Each node has a machine-id of its own (they share the host's), so host serials differ.
    this.machineIdFile = daemon.dir.resolve("machine-id");
    Files.writeString(machineIdFile, machineId(name) + "\n");
  }

  /** Opens the suite's own connection to the node's daemon. */
  void connect() throws InterruptedException {
    hypervisor = new LibvirtHypervisor(daemon.uri());
    if (!hypervisor.awaitConnected(Duration.ofSeconds(30))) {
      throw new IllegalStateException("cannot connect to " + daemon);
    }
  }

  /** The suite's view of the node's domains (it reconnects by itself after a daemon restart). */
  LibvirtHypervisor hypervisor() {
    return hypervisor;
  }

  /** The node's serial (its machine-id as a UUID), what serial policy host gives a guest here. */
  String hostSerial() {
    return HostSerialSource.OS.serial(machineId(name), null).orElseThrow();
  }

  /** Where the guest's serial console is written on this node; QEMU starts it afresh at each start. */
  Path console(VirtualGuest guest) {
    return consoleDir.resolve(domainName(guest) + ".log");
  }

  /** Waits for the booted guest's report on its console. */
  GuestReport awaitReport(VirtualGuest guest) {
    return GuestConsole.await(this, domainName(guest), console(guest));
  }

  static String domainName(VirtualGuest guest) {
    return DefinitionBuilder.domainName(guest.getMetadata().getNamespace(), guest.getMetadata().getName());
  }

  /** A fixed, distinct machine-id per node name (32 hex digits). */
  static String machineId(String node) {
    return UUID.nameUUIDFromBytes(("vguest-e2e-" + node).getBytes(StandardCharsets.UTF_8)).toString()
        .replace("-", "");
  }

  /** Stops the agent (the guests keep running) and closes the suite's connection. */
  @Override
  public void close() {
    if (agent != null) {
      agent.close();
    }
    if (hypervisor != null) {
      hypervisor.close();
    }
  }

  @Override
  public String toString() {
    return "node " + name;
  }
}
