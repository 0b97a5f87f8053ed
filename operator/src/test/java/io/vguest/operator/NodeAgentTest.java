package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.GuestMetadata;
import io.vguest.libvirt.DomainState;
import io.vguest.operator.AgentFixture.Node;
import io.vguest.reconcile.StatusBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node agent against the real API server (server-filter watches) and a libvirt test-driver node. */
class NodeAgentTest {

  static final String DOMAIN = "demo_web-1";

  static final String WEB = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: web-1, namespace: demo, annotations: {owner: team-a}}
      spec:
        nodeName: node-a
        resources: {cpus: 2, memory: 1Gi}
        disks:
          - name: root
            role: root
            source: {volume: {pool: default, name: web-1-root.qcow2}}
          - name: scratch
            role: ephemeral
            source: {blank: {pool: default, size: 1Gi}}
        interfaces:
          - name: eth0
            network: default
      """;

  @TempDir Path dir;
  AgentFixture cluster;
  Node a;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new AgentFixture(dir);
    a = cluster.node("node-a").start(Duration.ofMinutes(10));
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private VirtualGuest web() {
    return cluster.get("demo", "web-1");
  }

  private VirtualGuest awaitReady() {
    return eventually("web-1 Ready=True", () -> {
      VirtualGuest g = web();
      Condition ready = g.getStatus() == null ? null : StatusBuilder.condition(g.getStatus(), StatusBuilder.READY);
      return ready != null && "True".equals(ready.getStatus()) ? g : null;
    });
  }

  private List<String> eventReasons() {
    return cluster.client.v1().events().inNamespace("demo").list().getItems().stream()
        .map(Event::getReason).toList();
  }

  @Test
  void newGuestIsStampedDefinedStartedAndReportedWithTwoWrites() {
    cluster.create(WEB);
    VirtualGuest guest = awaitReady();

    assertNotNull(guest.getSpec().firmware.serial, "serial stamped into the spec");
    assertNotNull(guest.getSpec().firmware.uuid, "uuid stamped into the spec");
    assertEquals("demo/web-1", guest.getSpec().identity.stampedFor);
    assertTrue(guest.getMetadata().getFinalizers().contains(GuestWriter.FINALIZER));
    assertEquals("node-a", guest.getStatus().node);
    assertEquals("Running", guest.getStatus().state);
    assertEquals(guest.getSpec().firmware.serial, guest.getStatus().serial);
    assertEquals(guest.getMetadata().getGeneration(), guest.getStatus().observedGeneration);

    var domain = a.libvirt.lookup(DOMAIN).orElseThrow();
    assertEquals(guest.getSpec().firmware.uuid, domain.uuid(), "domain uuid is the stamped uuid");
    assertEquals(DomainState.RUNNING, domain.state());
    GuestMetadata metadata = GuestMetadata.parse(domain.vguestMetadataXml().orElseThrow());
    assertEquals("web-1", metadata.name());
    assertEquals("node-a", metadata.node());
    assertTrue(a.libvirt.volumeExists("default", "demo_web-1_scratch.qcow2"), "blank disk volume created");

    List<RecordedRequest> writes = AgentFixture.guestWrites(cluster.drainRequests());
    assertEquals(2, writes.stream().filter(r -> !r.getMethod().equals("POST")).count(),
        "one stamp patch and one status patch: " + writes.stream().map(RecordedRequest::getRequestLine).toList());
    assertEquals(1, a.hypervisor.defines.get());
    eventually("event Created", () -> eventReasons().contains("Created"));
    assertEquals(List.of("Created"), eventReasons(), "one event for the define and the first start");
  }

  @Test
  void steadyStateMakesNoWritesAndNoDefines() throws Exception {
    a.stopAgent();
    a.start(Duration.ofMillis(200));
    cluster.create(WEB);
    awaitReady();
    Thread.sleep(500); // let the libvirt events of the start settle
    cluster.drainRequests();
    int defines = a.hypervisor.defines.get();
    long writesBefore = a.agent.writer().writes();

    Thread.sleep(2_000); // about ten resyncs at 200 ms

    List<RecordedRequest> writes = AgentFixture.guestWrites(cluster.drainRequests());
    assertEquals(List.of(), writes.stream().map(RecordedRequest::getRequestLine).toList(), "no API writes when idle");
    assertEquals(writesBefore, a.agent.writer().writes());
    assertEquals(defines, a.hypervisor.defines.get(), "no defines when idle");
  }

  @Test
  void specChangeWhileRunningWaitsThenAppliesWhenStopped() {
    cluster.create(WEB);
    awaitReady();
    String before = a.libvirt.dumpXml(DOMAIN);

    VirtualGuest guest = web();
    guest.getSpec().devices.diskBus = io.vguest.devices.DiskBus.SCSI;
    guest.getSpec().runStrategy = io.vguest.api.v1alpha1.RunStrategy.Manual;
    cluster.client.resource(guest).update();

    VirtualGuest held = eventually("RestartRequired=True", () -> {
      VirtualGuest g = web();
      Condition c = StatusBuilder.condition(g.getStatus(), StatusBuilder.RESTART_REQUIRED);
      return c != null && "True".equals(c.getStatus()) ? g : null;
    });
    assertTrue(StatusBuilder.condition(held.getStatus(), StatusBuilder.RESTART_REQUIRED).getMessage()
        .contains("spec.devices.diskBus"), "message names the changed field");
    assertEquals(before, a.libvirt.dumpXml(DOMAIN), "running domain untouched");
    assertEquals(DomainState.RUNNING, a.libvirt.lookup(DOMAIN).orElseThrow().state());
    eventually("RestartRequired event", () -> eventReasons().contains("RestartRequired"));

    a.libvirt.destroy(DOMAIN); // the guest is stopped (powered off from inside or by an admin)

    eventually("redefined with the scsi bus", () -> a.libvirt.dumpXml(DOMAIN).contains("bus='scsi'"));
    assertTrue(a.libvirt.dumpXml(DOMAIN).contains("<serial>" + held.getSpec().identity.diskSerials.get("root")
        + "</serial>"), "the root disk keeps its serial on the new bus");
    eventually("RestartRequired cleared", () -> "False".equals(
        StatusBuilder.condition(web().getStatus(), StatusBuilder.RESTART_REQUIRED).getStatus()));
    assertEquals(DomainState.STOPPED, a.libvirt.lookup(DOMAIN).orElseThrow().state(), "Manual: not restarted");
  }

  @Test
  void haltedShutsTheGuestDown() {
    cluster.create(WEB);
    awaitReady();
    VirtualGuest guest = web();
    guest.getSpec().runStrategy = io.vguest.api.v1alpha1.RunStrategy.Halted;
    cluster.client.resource(guest).update();
    eventually("domain shut off", () -> a.libvirt.lookup(DOMAIN).orElseThrow().state() == DomainState.STOPPED);
    eventually("status Stopped and Ready", () -> "Stopped".equals(web().getStatus().state)
        && "True".equals(StatusBuilder.condition(web().getStatus(), StatusBuilder.READY).getStatus()));
  }

  @Test
  void deleteUndefinesTheDomainAndDropsScratchVolumes() {
    cluster.create(WEB);
    awaitReady();
    double before = reconciles("");
    cluster.client.resource(web()).delete();
    eventually("guest gone", () -> web() == null);
    eventually("the deleting reconcile counted", () -> reconciles("") > before);
    assertFalse(a.defined(DOMAIN), "domain undefined");
    assertFalse(a.libvirt.volumeExists("default", "demo_web-1_scratch.qcow2"), "ephemeral volume deleted");
    assertEquals(0.0, reconciles("outcome=\"error\""), "the removal of the last finalizer deletes the object; the "
        + "reconcile that removed it still ends cleanly");
  }

  /** Reconciles the agent counted, over the outcomes whose labels contain the text. */
  private double reconciles(String labels) {
    return a.agent.metrics().scrape().lines().filter(l -> l.startsWith("vguest_reconciles_total{"))
        .filter(l -> l.contains(labels)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void invalidGuestGetsAConditionAndTheDomainStaysUntouched() {
    cluster.create(WEB);
    awaitReady();
    String before = a.libvirt.dumpXml(DOMAIN);
    VirtualGuest guest = web();
    guest.getSpec().disks.get(0).source.volume.pool = "../etc";
    KubernetesClientException refused = assertThrows(KubernetesClientException.class,
        () -> cluster.client.resource(guest).update(), "the API server's schema refuses a path as a pool");
    assertEquals(422, refused.getCode());
    assertTrue(refused.getMessage().contains("spec.disks[0].source.volume.pool"), refused.getMessage());

    // A pool the schema accepts but the node does not allow: the agent refuses it.
    VirtualGuest allowedBySchema = web();
    allowedBySchema.getSpec().disks.get(0).source.volume.pool = "tenant-pool";
    cluster.client.resource(allowedBySchema).update();

    Condition ready = eventually("Ready=False Invalid", () -> {
      Condition c = StatusBuilder.condition(web().getStatus(), StatusBuilder.READY);
      return c != null && "Invalid".equals(c.getReason()) ? c : null;
    });
    assertTrue(ready.getMessage().contains("spec.disks[0].source.volume.pool") && ready.getMessage().contains(
        "tenant-pool"), ready.getMessage());
    assertEquals(before, a.libvirt.dumpXml(DOMAIN), "domain untouched");
    eventually("Invalid event", () -> eventReasons().contains("Invalid"));
  }

  @Test
  void foreignDomainWithTheGuestsNameIsNeverTouched() {
    String foreign = "<domain type='test'><name>" + DOMAIN + "</name><memory>1024</memory>"
        + "<os><type>hvm</type></os></domain>";
    a.libvirt.define(foreign);
    String before = a.libvirt.dumpXml(DOMAIN);
    cluster.create(WEB);
    eventually("Ready=False ForeignDomain", () -> "ForeignDomain".equals(
        StatusBuilder.condition(web().getStatus(), StatusBuilder.READY).getReason()));
    assertEquals(before, a.libvirt.dumpXml(DOMAIN));
  }

  @Test
  void recoversWhenTheLibvirtConnectionDrops() {
    cluster.create(WEB);
    VirtualGuest ready = awaitReady();
    io.vguest.libvirt.LibvirtFaults.dropConnection(a.libvirt);
    // A test-driver node is read afresh on reconnect, like a daemon that lost its domains.
    var redefined = eventually("domain defined and running again after the reconnect", () -> a.libvirt.lookup(DOMAIN)
        .filter(d -> d.state() == DomainState.RUNNING).orElse(null));
    assertEquals(ready.getSpec().firmware.uuid, redefined.uuid(), "same identity");
    assertTrue(Objects.equals(ready.getSpec().firmware.serial, web().getSpec().firmware.serial));
  }
}
