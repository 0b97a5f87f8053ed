package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vguest.api.CrdSchemaValidator;
import io.vguest.api.v1alpha1.EffectiveDevices;
import io.vguest.api.v1alpha1.Rescue;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DiskBus;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.NodeFacts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code vguest devices} against fabric8's mock API server (CRUD mode) with the generated CRD. */
@EnableKubernetesMockClient(crud = true)
class DevicesCommandTest {

  static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  static final GuestSettings SETTINGS = GuestSettings.defaults("test-seed").withAllowedPools(Set.of("default"));
  static final NodeFacts NODE = new NodeFacts("node-a", null, 9_000_000L,
      Map.of("q35", "pc-q35-7.2", "pc", "pc-i440fx-7.2"));

  static final String WEB = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: web-1, namespace: demo}
      spec:
        nodeName: node-a
        resources: {cpus: 2, memory: 1Gi}
        disks:
          - {name: root, role: root, source: {volume: {pool: default, name: web-1-root.qcow2}}}
          - {name: data, role: data, serial: DATA-0123456789-ABCDEF-XYZ, bus: scsi,
             source: {volume: {pool: default, name: web-1-data.qcow2}}}
          - {name: install, role: cdrom}
        interfaces:
          - {name: eth0, network: default}
      """;

  KubernetesMockServer server;
  KubernetesClient client;

  /** What one command run printed and returned. */
  record Run(int exit, String out, String err) {}

  @BeforeEach
  void createCrd() {
    client.apiextensions().v1().customResourceDefinitions()
        .load(CrdSchemaValidator.generatedCrds().resolve("virtualguests.vguest.io.yaml").toFile()).create();
  }

  static VirtualGuest stamped(String yaml) throws Exception {
    return new GuestStamper(SETTINGS, NODE).stamp(YAML.readValue(yaml, VirtualGuest.class), null).guest();
  }

  /** Creates the stamped guest; with a state, also a status as the node agent reports it. */
  VirtualGuest create(String state) throws Exception {
    return create(state, g -> { });
  }

  VirtualGuest create(String state, Consumer<VirtualGuest> edit) throws Exception {
    VirtualGuest guest = stamped(WEB);
    edit.accept(guest);
    VirtualGuest created = client.resources(VirtualGuest.class).inNamespace("demo").resource(guest).create();
    if (state != null) {
      VirtualGuestStatus status = new VirtualGuestStatus();
      status.state = state;
      status.effectiveDevices = new EffectiveDevices();
      status.effectiveDevices.setFrom(guest.getSpec().devices.toChoices(null));
      status.effectiveDevices.machineType = guest.getSpec().machineType;
      created.setStatus(status);
      created = client.resources(VirtualGuest.class).inNamespace("demo").resource(created).updateStatus();
    }
    return created;
  }

  VirtualGuest read() {
    return client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1").get();
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = DevicesCommand.commandLine(new DevicesCommand(server::createClient), new PrintWriter(out),
        new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aGuestWithAValueThisVersionDoesNotKnowIsLeftAlone() throws Exception {
    VirtualGuest guest = create("Stopped");
    String json = client.getKubernetesSerialization().asJson(guest).replace("\"diskBus\":\"virtio\"",
        "\"diskBus\":\"nvme\"");
    client.resource(client.getKubernetesSerialization().unmarshal(json,
        io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).update();
    Run run = run("set", "web-1", "-n", "demo", "--property", "diskBus=sata");
    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains("spec.devices.diskBus: Unsupported value: \"nvme\""), run.err());
    assertEquals(null, read().getSpec().devices.diskBus, "unchanged: still the value this version cannot read");
  }

  // ---- set ----

  @Test
  void setOnAStoppedGuestWritesTheSpecUnderItsOwnFieldManager() throws Exception {
    create("Stopped");
    Run run = run("set", "web-1", "-n", "demo", "--property", "diskBus=sata", "-p", "videoModel=vga");
    assertEquals(0, run.exit(), run.toString());
    VirtualGuest after = read();
    assertEquals(DiskBus.SATA, after.getSpec().devices.diskBus);
    assertEquals("vga", after.getSpec().devices.videoModel.value());
    assertEquals(List.of(), CrdSchemaValidator.validateManifest(YAML.valueToTree(after)), "the CRD accepts it");
    RecordedRequest patch = lastPatch();
    assertEquals("application/json-patch+json", patch.getHeader("Content-Type").replaceAll(";.*", ""));
    assertTrue(patch.getPath().contains("fieldManager=vguest-cli"), patch.getPath());
    assertTrue(run.out().contains("spec.devices.diskBus set to sata (was virtio)"), run.out());
  }

  @Test
  void setWithoutDevicesObjectMergesItIn() throws Exception {
    create(null, g -> g.getSpec().devices = null);
    Run run = run("set", "web-1", "-n", "demo", "-p", "vifModel=e1000e");
    assertEquals(0, run.exit(), run.toString());
    assertEquals("e1000e", read().getSpec().devices.vifModel.value());
    assertEquals("application/merge-patch+json", lastPatch().getHeader("Content-Type").replaceAll(";.*", ""));
  }

  @Test
  void exit3WhenRunningWithoutWhenStopped() throws Exception {
    create("Running");
    Run run = run("set", "web-1", "-n", "demo", "-p", "diskBus=scsi");
    assertEquals(3, run.exit(), run.toString());
    assertTrue(run.err().contains("is Running; stop it first, or pass --when-stopped"), run.err());
    assertEquals(DiskBus.VIRTIO, read().getSpec().devices.diskBus, "nothing written");
  }

  @Test
  void whenStoppedWritesTheChangeAndShowMarksItPending() throws Exception {
    create("Running");
    Run run = run("set", "web-1", "-n", "demo", "-p", "diskBus=scsi", "--when-stopped");
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().contains("the change is pending until it stops"), run.out());
    assertEquals(DiskBus.SCSI, read().getSpec().devices.diskBus);

    Run show = run("show", "web-1", "diskBus", "-n", "demo");
    assertEquals(0, show.exit(), show.toString());
    assertEquals(List.of("PROPERTY       SPEC             EFFECTIVE        PENDING",
        "diskBus        scsi             virtio           pending"), show.out().lines().toList());
  }

  @Test
  void exit4WhenAnArgumentIsNotKeyValue() throws Exception {
    create("Stopped");
    assertEquals(4, run("set", "web-1", "-n", "demo", "-p", "diskBus").exit());
    assertEquals(4, run("set", "web-1", "-n", "demo", "-p", "diskBus=").exit());
    assertEquals(4, run("set", "web-1", "-n", "demo", "-p", "diskBus=scsi", "-p", "diskBus=sata").exit());
  }

  @Test
  void exit5WhenThePropertyIsUnknown() throws Exception {
    create("Stopped");
    Run run = run("set", "web-1", "-n", "demo", "-p", "nicModel=e1000");
    assertEquals(5, run.exit(), run.toString());
    assertTrue(run.err().contains("unknown property \"nicModel\": known properties: machineType, diskBus"), run.err());
    assertEquals(5, run("show", "web-1", "nicModel", "-n", "demo").exit());
    assertEquals(5, run("reset", "web-1", "nicModel", "-n", "demo").exit());
  }

  @Test
  void exit6WhenTheValueIsNotAllowed() throws Exception {
    create("Stopped");
    Run cdrom = run("set", "web-1", "-n", "demo", "-p", "cdromBus=virtio");
    assertEquals(6, cdrom.exit(), cdrom.toString());
    assertTrue(cdrom.err().contains("cdromBus: Unsupported value: \"virtio\": supported values: scsi, sata, ide, usb"),
        cdrom.err());
    assertEquals(6, run("set", "web-1", "-n", "demo", "-p", "videoModel=vmvga").exit());
    assertEquals(6, run("set", "web-1", "-n", "demo", "-p", "machineType=Q35 PLUS").exit());
  }

  @Test
  void exit7WhenTheValueDoesNotFitTheGuest() throws Exception {
    create("Stopped");
    Run ide = run("set", "web-1", "-n", "demo", "-p", "diskBus=ide");
    assertEquals(7, ide.exit(), ide.toString());
    assertTrue(ide.err().contains("spec.devices.diskBus: Invalid value: \"ide\": machine type \"pc-q35-7.2\" (q35) "
        + "has no IDE controller"), ide.err());
    assertEquals(0, run("set", "web-1", "-n", "demo", "-p", "diskBus=ide", "-p", "cdromBus=ide",
        "-p", "rescueBus=ide", "-p", "machineType=pc-i440fx-7.2").exit(), "fine on an i440fx machine");
    Run q35 = run("set", "web-1", "-n", "demo", "-p", "machineType=q35");
    assertEquals(7, q35.exit(), "the ide buses set above do not fit q35");
    Run buslogic = run("set", "web-1", "-n", "demo", "-p", "scsiModel=buslogic");
    assertEquals(7, buslogic.exit(), buslogic.toString());
    assertTrue(buslogic.err().contains("libvirt's QEMU driver has no buslogic controller"), buslogic.err());
  }

  @Test
  void exit7WhenAReadOnlyRescueDiskWouldMoveToSata() throws Exception {
    create("Stopped", g -> {
      g.getSpec().rescue = new Rescue();
      g.getSpec().rescue.readOnly = true;
      g.getSpec().rescue.volume = new VolumeSource();
      g.getSpec().rescue.volume.pool = "default";
      g.getSpec().rescue.volume.name = "rescue.qcow2";
    });
    Run sata = run("set", "web-1", "-n", "demo", "-p", "rescueBus=sata");
    assertEquals(7, sata.exit(), sata.toString());
    assertTrue(sata.err().contains("spec.devices.rescueBus: Invalid value: \"sata\": a read-only disk cannot be on "
        + "sata"), sata.err());
    assertExit(0, run("set", "web-1", "-n", "demo", "-p", "rescueBus=scsi"));
  }

  @Test
  void exit7WhenADisksOwnSerialIsTooLongForTheNewBus() throws Exception {
    create("Stopped", g -> g.getSpec().disks.get(1).bus = null);
    assertExit(0, run("set", "web-1", "-n", "demo", "-p", "diskBus=scsi"));
    Run virtio = run("set", "web-1", "-n", "demo", "-p", "diskBus=virtio");
    assertEquals(7, virtio.exit(), virtio.toString());
    assertTrue(virtio.err().contains("spec.disks[1].serial: Invalid value: \"DATA-0123456789-ABCDEF-XYZ\": 26 "
        + "characters, a virtio drive shows 20"), virtio.err());
  }

  @Test
  void exit8WhenTheGuestDoesNotExist() {
    Run run = run("set", "web-2", "-n", "demo", "-p", "diskBus=scsi");
    assertEquals(8, run.exit(), run.toString());
    assertTrue(run.err().contains("virtualguest \"web-2\" not found in namespace demo"), run.err());
    assertEquals(8, run("show", "web-2", "-n", "demo").exit());
    assertEquals(8, run("reset", "web-2", "diskBus", "-n", "demo").exit());
    assertEquals(8, run("set", "web-2", "-n", "demo", "-p", "notKeyValue").exit(), "the guest is checked first");
  }

  @Test
  void exit9WhenTheApiServerRefusesTheChange() throws Exception {
    // The CRUD mock cannot answer a failed JSON patch test; an API server answers 422, as this one does.
    KubernetesMockServer refusing = new KubernetesMockServer();
    refusing.init();
    try {
      VirtualGuest guest = stamped(WEB);
      String path = "/apis/vguest.io/v1alpha1/namespaces/demo/virtualguests/web-1";
      refusing.expect().get().withPath(path).andReturn(200, guest).always();
      refusing.expect().patch().withPath(path + "?fieldManager=vguest-cli").andReturn(422, new StatusBuilder()
          .withStatus("Failure").withCode(422).withReason("Invalid")
          .withMessage("the server rejected our request due to an error in our request").build()).once();
      StringWriter err = new StringWriter();
      int exit = DevicesCommand.commandLine(new DevicesCommand(refusing::createClient),
          new PrintWriter(new StringWriter()), new PrintWriter(err))
          .execute("set", "web-1", "-n", "demo", "-p", "diskBus=scsi");
      assertEquals(9, exit, err.toString());
      assertTrue(err.toString().contains("refused the change to virtualguest demo/web-1 (422)"), err.toString());
      assertTrue(err.toString().contains("run the command again"), err.toString());
    } finally {
      refusing.destroy();
    }
  }

  @Test
  void exit2OnUsageErrors() throws Exception {
    create("Stopped");
    assertEquals(2, run("set", "web-1", "-n", "demo").exit(), "no --property");
    assertEquals(2, run("reset", "web-1", "-n", "demo").exit(), "no PROPERTY");
    assertEquals(2, run("show").exit(), "no NAME");
    assertEquals(2, run("set", "web-1", "--bogus").exit());
  }

  @Test
  void exit1WhenTheClusterCannotBeReached() {
    StringWriter err = new StringWriter();
    DevicesCommand devices = new DevicesCommand(() -> new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:1")
            .withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build());
    int exit = DevicesCommand.commandLine(devices, new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute("show", "web-1", "-n", "demo");
    assertEquals(1, exit, err.toString());
    assertTrue(err.toString().startsWith("error: "), err.toString());
  }

  @Test
  void nothingToChangeWritesNothing() throws Exception {
    create("Running");
    int before = server.getRequestCount();
    Run run = run("set", "web-1", "-n", "demo", "-p", "diskBus=virtio", "--when-stopped");
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().contains("unchanged"), run.out());
    assertEquals(1, server.getRequestCount() - before, "one GET, no PATCH");
  }

  // ---- show ----

  @Test
  void showListsEveryPropertyWithSpecEffectiveAndPending() throws Exception {
    create("Running", g -> {
      g.getSpec().devices.inputBus = null;
    });
    VirtualGuest g = read();
    g.getStatus().pendingChanges = List.of("spec.machineType");
    client.resources(VirtualGuest.class).inNamespace("demo").resource(g).updateStatus();
    Run run = run("show", "web-1", "-n", "demo");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(List.of(
        "PROPERTY       SPEC             EFFECTIVE        PENDING",
        "machineType    pc-q35-7.2       pc-q35-7.2       pending",
        "diskBus        virtio           virtio           ",
        "cdromBus       sata             sata             ",
        "floppyBus      fdc              fdc              ",
        "rescueBus      virtio           virtio           ",
        "inputBus       -                -                ",
        "pointerModel   usbtablet        usbtablet        ",
        "rngModel       virtio           virtio           ",
        "scsiModel      virtio-scsi      virtio-scsi      ",
        "videoModel     virtio           virtio           ",
        "vifModel       virtio           virtio           "), run.out().lines().toList());
  }

  @Test
  void showNamesThePinnedMachineTypeBesideTheAliasTheSpecAsksFor() throws Exception {
    create("Running", g -> {
      g.getSpec().machineType = "q35";
      g.getSpec().identity = new io.vguest.api.v1alpha1.GuestIdentity();
      g.getSpec().identity.machineType = "pc-q35-7.2";
      g.getSpec().identity.machineTypeFor = "q35";
    });
    Run run = run("show", "web-1", "machineType", "-n", "demo");
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(1).startsWith("machineType    q35 "), lines.toString());
    assertEquals("machine type pinned: pc-q35-7.2 (resolved from q35; used on every node until spec.machineType "
        + "changes)", lines.get(2));
  }

  @Test
  void showListsTheStampedDeviceAddresses() throws Exception {
    create("Running", g -> g.getSpec().deviceAddresses = java.util.Map.of("interface.eth0", "pci:0000:01:00.0",
        "disk.root", "pci:0000:04:00.0"));
    List<String> lines = run("show", "web-1", "-n", "demo").out().lines().toList();
    int header = lines.indexOf("DEVICE                                   ADDRESS (stamped; kept for life)");
    assertTrue(header > 0, lines.toString());
    assertEquals(List.of("disk.root                                pci:0000:04:00.0",
        "interface.eth0                           pci:0000:01:00.0"), lines.subList(header + 1, lines.size()));
  }

  @Test
  void showOfAGuestNotDefinedYet() throws Exception {
    create(null);
    Run run = run("show", "web-1", "vifModel", "-n", "demo");
    assertEquals(List.of("PROPERTY       SPEC             EFFECTIVE        PENDING",
        "vifModel       virtio           -                "), run.out().lines().toList());
    assertEquals(run, run("-n", "demo", "show", "web-1", "vifModel"), "-n also before the subcommand");
  }

  // ---- reset ----

  @Test
  void resetRemovesThePropertySoTheAgentResolvesItAgain() throws Exception {
    create("Stopped");
    Run run = run("reset", "web-1", "videoModel", "-n", "demo");
    assertEquals(0, run.exit(), run.toString());
    assertNull(read().getSpec().devices.videoModel);
    assertEquals(DiskBus.VIRTIO, read().getSpec().devices.diskBus, "the other choices stay");
    assertTrue(run.out().contains("spec.devices.videoModel cleared (was virtio)"), run.out());
    assertEquals(0, run("reset", "web-1", "videoModel", "-n", "demo").exit(), "already unset");
  }

  @Test
  void resetWaitsForTheStopLikeSet() throws Exception {
    create("Paused");
    assertEquals(3, run("reset", "web-1", "machineType", "-n", "demo").exit());
    assertEquals(0, run("reset", "web-1", "machineType", "-n", "demo", "--when-stopped").exit());
    assertNull(read().getSpec().machineType);
  }

  private RecordedRequest lastPatch() throws InterruptedException {
    RecordedRequest last = null;
    for (int i = server.getRequestCount(); i > 0; i--) {
      RecordedRequest r = server.takeRequest();
      if ("PATCH".equals(r.getMethod())) {
        last = r;
      }
    }
    return last;
  }

  private static void assertExit(int exit, Run run) {
    assertEquals(exit, run.exit(), run.toString());
  }
}
