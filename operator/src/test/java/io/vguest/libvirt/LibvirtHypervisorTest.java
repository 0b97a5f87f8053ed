package io.vguest.libvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.libvirt.HypervisorException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * Runs against libvirt's in-process test driver. Every test opens its own {@code test:///<file>}
 * node, so no state is shared with other tests (unlike {@code test:///default}).
 */
class LibvirtHypervisorTest {

  private static final String NS = Hypervisor.VGUEST_NAMESPACE;
  private static final String UUID = "6f2b6a43-1c55-4e0e-9d3a-0a6b51b0c001";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private String uri;
  private LibvirtHypervisor hv;

  @BeforeEach
  void setUp() throws Exception {
    Path node = dir.resolve("node.xml");
    Files.writeString(
        node,
        "<node>\n"
            + "  <pool type='dir'>\n"
            + "    <name>images</name>\n"
            + "    <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>\n"
            + "    <capacity unit='GiB'>100</capacity>\n"
            + "    <allocation>0</allocation>\n"
            + "    <available unit='GiB'>100</available>\n"
            + "    <target><path>/var/lib/vguest/images</path></target>\n"
            + "  </pool>\n"
            + "  <pool type='logical'>\n"
            + "    <name>lvm</name>\n"
            + "    <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53ff</uuid>\n"
            + "    <source><name>vg0</name><format type='lvm2'/></source>\n"
            + "    <target><path>/dev/vg0</path></target>\n"
            + "  </pool>\n"
            + "  <cpu><mhz>2000</mhz><model>x</model><active>2</active><nodes>1</nodes>"
            + "<sockets>1</sockets><cores>2</cores><threads>1</threads></cpu>\n"
            + "  <memory>8192000</memory>\n"
            + "</node>\n");
    uri = "test://" + node.toAbsolutePath();
    hv = new LibvirtHypervisor(uri);
  }

  @AfterEach
  void tearDown() {
    hv.close();
  }

  private static String domainXml(String name, String uuid, boolean withMetadata) {
    return "<domain type='test'>\n"
        + "  <name>" + name + "</name>\n"
        + "  <uuid>" + uuid + "</uuid>\n"
        + (withMetadata
            ? "  <metadata>\n"
                + "    <vguest:guest xmlns:vguest='" + NS + "'>\n"
                + "      <vguest:hash>sha256:abc</vguest:hash>\n"
                + "    </vguest:guest>\n"
                + "  </metadata>\n"
            : "")
        + "  <memory unit='MiB'>128</memory>\n"
        + "  <vcpu>1</vcpu>\n"
        + "  <os><type>hvm</type></os>\n"
        + "</domain>\n";
  }

  @Test
  void defineThenLookupReturnsUuidAndStopped() {
    DomainView defined = hv.define(domainXml("g1", UUID, true));
    assertEquals("g1", defined.name());
    assertEquals(UUID, defined.uuid());

    DomainView view = hv.lookup("g1").orElseThrow();
    assertEquals(UUID, view.uuid());
    assertEquals(DomainState.STOPPED, view.state());
    assertTrue(view.persistent());
    assertTrue(view.managedByVguest());
    assertTrue(view.vguestMetadataXml().orElseThrow().contains("sha256:abc"));
  }

  @Test
  void metadataInVguestNamespaceIsReadableBack() {
    hv.define(domainXml("g1", UUID, true));

    String md = hv.metadata("g1", NS).orElseThrow();
    assertTrue(md.contains("<guest"), md);
    assertTrue(md.contains("<hash>sha256:abc</hash>"), md);
    assertEquals(Optional.empty(), hv.metadata("g1", "https://example.com/other"));
    assertTrue(hv.dumpXml("g1").contains("sha256:abc"));
  }

  @Test
  void domainWithoutMetadataIsNotManagedByVguest() {
    hv.define(domainXml("foreign", UUID, false));

    DomainView view = hv.lookup("foreign").orElseThrow();
    assertFalse(view.managedByVguest());
    assertEquals(Optional.empty(), hv.metadata("foreign", NS));
  }

  @Test
  void startShutdownUndefine() {
    hv.define(domainXml("g1", UUID, true));

    hv.start("g1");
    assertEquals(DomainState.RUNNING, hv.lookup("g1").orElseThrow().state());
    hv.start("g1"); // already running: nothing to do

    assertTrue(hv.shutdown("g1", Duration.ofSeconds(5)), "test driver stops at once");
    assertEquals(DomainState.STOPPED, hv.lookup("g1").orElseThrow().state());
    assertTrue(hv.shutdown("g1", Duration.ofSeconds(5)), "already stopped");

    hv.start("g1");
    hv.destroy("g1");
    assertEquals(DomainState.STOPPED, hv.lookup("g1").orElseThrow().state());
    hv.destroy("g1"); // not running: nothing to do

    assertTrue(hv.undefine("g1"));
    assertEquals(Optional.empty(), hv.lookup("g1"));
    assertFalse(hv.undefine("g1"));
  }

  @Test
  void undefineDomainWithNvram() {
    String xml =
        domainXml("uefi", UUID, true)
            .replace(
                "<os><type>hvm</type></os>",
                "<os><type>hvm</type>"
                    + "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
                    + "<nvram>/var/lib/libvirt/qemu/nvram/uefi_VARS.fd</nvram></os>");
    hv.define(xml);
    assertTrue(hv.dumpXml("uefi").contains("<nvram"));
    assertTrue(hv.undefine("uefi"));
    assertEquals(Optional.empty(), hv.lookup("uefi"));
  }

  @Test
  void listAllReturnsEveryDomain() {
    hv.define(domainXml("g1", UUID, true));
    hv.define(domainXml("g2", "6f2b6a43-1c55-4e0e-9d3a-0a6b51b0c002", false));
    hv.start("g2");

    List<DomainView> all = hv.listAll();
    assertEquals(2, all.size(), all.toString());
    DomainView g2 = all.stream().filter(v -> v.name().equals("g2")).findFirst().orElseThrow();
    assertEquals(DomainState.RUNNING, g2.state());
  }

  @Test
  void lifecycleListenerReceivesEvents() throws Exception {
    BlockingQueue<DomainEvent> events = new LinkedBlockingQueue<>();
    hv.addLifecycleListener(events::add);

    hv.define(domainXml("g1", UUID, true));
    DomainEvent defined = next(events, DomainEvent.Kind.DEFINED);
    assertEquals("g1", defined.domainName());
    assertEquals(UUID, defined.uuid());

    hv.start("g1");
    next(events, DomainEvent.Kind.STARTED);
    hv.shutdown("g1", Duration.ofSeconds(5));
    DomainEvent stopped = next(events, DomainEvent.Kind.STOPPED);
    assertNotNull(stopped.detail());
    hv.undefine("g1");
    next(events, DomainEvent.Kind.UNDEFINED);
  }

  @Test
  void unknownDomainIsNotFound() {
    assertEquals(Optional.empty(), hv.lookup("nope"));
    HypervisorException e = assertThrows(HypervisorException.class, () -> hv.start("nope"));
    assertEquals(Kind.NOT_FOUND, e.kind());
    assertEquals("VIR_ERR_NO_DOMAIN", e.libvirtCode());
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertEquals(Kind.NOT_FOUND, assertThrows(HypervisorException.class, () -> hv.dumpXml("nope")).kind());
    assertEquals(
        Kind.NOT_FOUND,
        assertThrows(HypervisorException.class, () -> hv.metadata("nope", NS)).kind());
  }

  @Test
  void xmlThatFailsTheSchemaIsInvalidConfig() {
    String bad = domainXml("g1", UUID, true).replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu><bogus/>");
    HypervisorException e = assertThrows(HypervisorException.class, () -> hv.define(bad));
    assertEquals(Kind.INVALID_CONFIG, e.kind(), e.getMessage());
    assertEquals(Optional.empty(), hv.lookup("g1"));
  }

  @Test
  void sameUuidUnderAnotherNameIsAConflict() {
    hv.define(domainXml("g1", UUID, true));
    HypervisorException e =
        assertThrows(HypervisorException.class, () -> hv.define(domainXml("g2", UUID, true)));
    assertEquals(Kind.CONFLICT, e.kind(), e.getMessage());
  }

  @Test
  void hostFactsAndCapabilities() {
    HostFacts facts = hv.hostFacts();
    assertTrue(facts.libraryVersion().matches("\\d+\\.\\d+\\.\\d+"), facts.toString());
    assertTrue(facts.daemonVersion().matches("\\d+\\.\\d+\\.\\d+"), facts.toString());
    assertEquals("TEST", facts.hypervisorType());
    assertTrue(facts.hypervisorVersion().matches("\\d+\\.\\d+\\.\\d+"), facts.toString());
    assertEquals(uri, facts.uri());
    // the test driver's capabilities carry no <host><uuid>
    assertEquals(Optional.empty(), facts.hostUuid());

    assertTrue(hv.hostCapabilitiesXml().contains("<capabilities>"));
    assertEquals(Optional.empty(), hv.domainCapabilitiesXml("q35", "qemu"));
  }

  @Test
  void hostUuidIsReadFromCapabilities() {
    String caps =
        "<capabilities><host><uuid>4c4c4544-0042-3510-8052-b4c04f4d3232</uuid>"
            + "<cpu><arch>x86_64</arch></cpu></host></capabilities>";
    assertEquals(
        Optional.of("4c4c4544-0042-3510-8052-b4c04f4d3232"), LibvirtHost.hostUuid(caps));
    assertEquals(Optional.empty(), LibvirtHost.hostUuid("<capabilities><host/></capabilities>"));
    assertEquals("9.0.0", LibvirtHost.version(9_000_000));
    assertEquals("7.2.0", LibvirtHost.version(7_002_000));
    assertEquals("0.0.2", LibvirtHost.version(2));
  }

  @Test
  void volumesCreateExistDelete() {
    assertFalse(hv.volumeExists("images", "g1-data.img"));
    hv.createVolume("images", "g1-data.img", 10L * 1024 * 1024);
    assertTrue(hv.volumeExists("images", "g1-data.img"));

    HypervisorException dup =
        assertThrows(
            HypervisorException.class, () -> hv.createVolume("images", "g1-data.img", 1024 * 1024));
    assertEquals(Kind.CONFLICT, dup.kind(), dup.getMessage());

    assertTrue(hv.deleteVolume("images", "g1-data.img"));
    assertFalse(hv.volumeExists("images", "g1-data.img"));
    assertFalse(hv.deleteVolume("images", "g1-data.img"));

    HypervisorException noPool =
        assertThrows(HypervisorException.class, () -> hv.volumeExists("nopool", "x"));
    assertEquals(Kind.NOT_FOUND, noPool.kind());
  }

  @Test
  void volumePathIsThePathInsideThePool() {
    assertEquals(Optional.empty(), hv.volumePath("images", "vmlinuz"));
    hv.createVolume("images", "vmlinuz", 1024 * 1024);
    assertEquals(Optional.of("/var/lib/vguest/images/vmlinuz"), hv.volumePath("images", "vmlinuz"));
    HypervisorException noPool =
        assertThrows(HypervisorException.class, () -> hv.volumePath("nopool", "vmlinuz"));
    assertEquals(Kind.NOT_FOUND, noPool.kind());
  }

  @Test
  void poolDirectoryIsTheTargetOfADirectoryPool() {
    assertEquals(Optional.of("/var/lib/vguest/images"), hv.poolDirectory("images"));
  }

  @Test
  void smallVolumesAreWrittenAndReadWholeWhereTheDriverStreams() {
    byte[] state = "tpm state\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      hv.writeVolume("images", "g1_tpm.state", state);
    } catch (HypervisorException e) {
      // libvirt's test driver has no volume upload; the end-to-end suite covers real daemons
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "no volume streams: " + e.getMessage());
    }
    assertArrayEquals(state, hv.readVolume("images", "g1_tpm.state", 1024).orElseThrow());
    assertEquals(Optional.empty(), hv.readVolume("images", "missing", 1024));
  }

  @Test
  void volumeXmlIsThinQcow2OnlyInFilePools() {
    assertTrue(LibvirtVolumes.fileBased("<pool type='dir'><name>p</name></pool>"));
    assertFalse(LibvirtVolumes.fileBased("<pool type='logical'><name>p</name></pool>"));
    for (String type : List.of("dir", "fs", "netfs")) {
      assertEquals("qcow2", LibvirtVolumes.blankFormat("<pool type='" + type + "'><name>p</name></pool>"), type);
    }
    for (String type : List.of("logical", "disk", "iscsi", "rbd")) {
      assertEquals("raw", LibvirtVolumes.blankFormat("<pool type='" + type + "'><name>p</name></pool>"), type);
    }
    assertEquals(
        """
            <volume>
              <name>a&amp;b</name>
              <allocation unit='bytes'>0</allocation>
              <capacity unit='bytes'>1024</capacity>
              <target>
                <format type='qcow2'/>
              </target>
            </volume>
            """,
        LibvirtVolumes.volumeXml("a&b", 1024, "qcow2"));
    String raw = LibvirtVolumes.volumeXml("a", 1024, "raw");
    assertFalse(raw.contains("allocation"), raw);
    assertFalse(raw.contains("format"), raw);
  }

  @Test
  void blankVolumesAreCreatedInTheFormatThePoolNames() throws Exception {
    assertEquals("qcow2", hv.blankVolumeFormat("images"));
    assertEquals("raw", hv.blankVolumeFormat("lvm"));
    HypervisorException noPool = assertThrows(HypervisorException.class, () -> hv.blankVolumeFormat("nopool"));
    assertEquals(Kind.NOT_FOUND, noPool.kind());
  }

  @Test
  void callsFailFastAfterClose() {
    assertTrue(hv.connected());
    hv.close();
    assertFalse(hv.connected());
    long start = System.nanoTime();
    HypervisorException e = assertThrows(HypervisorException.class, () -> hv.lookup("g1"));
    assertEquals(Kind.CONNECTION_LOST, e.kind());
    assertEquals(Kind.CONNECTION_LOST, assertThrows(HypervisorException.class, hv::listAll).kind());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1000);
    hv.close(); // idempotent
  }

  @Test
  void reconnectsWithBackoffAndNotifiesListeners() throws Exception {
    hv.close();
    AtomicInteger opens = new AtomicInteger();
    AtomicInteger failuresToInject = new AtomicInteger();
    LibvirtConnection.Factory factory =
        u -> {
          opens.incrementAndGet();
          if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("daemon not reachable (simulated)");
          }
          return new Connect(u);
        };
    try (LibvirtHypervisor flaky =
        new LibvirtHypervisor(uri, factory, Duration.ofMillis(10), Duration.ofMillis(40))) {
      assertTrue(flaky.connected());
      CountDownLatch reconnected = new CountDownLatch(1);
      flaky.addReconnectListener(reconnected::countDown);
      BlockingQueue<DomainEvent> events = new LinkedBlockingQueue<>();
      flaky.addLifecycleListener(events::add);

      failuresToInject.set(3);
      flaky.onConnectionLost();

      assertFalse(flaky.connected());
      HypervisorException e = assertThrows(HypervisorException.class, () -> flaky.lookup("g1"));
      assertEquals(Kind.CONNECTION_LOST, e.kind());

      assertTrue(reconnected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "reconnect listener");
      assertTrue(flaky.connected());
      assertEquals(1 + 3 + 1, opens.get(), "first open, three failed attempts, one success");

      // calls work again and lifecycle events are delivered through the new connection
      flaky.define(domainXml("g1", UUID, true));
      assertEquals(UUID, next(events, DomainEvent.Kind.DEFINED).uuid());
      assertEquals(DomainState.STOPPED, flaky.lookup("g1").orElseThrow().state());
    }
  }

  @Test
  void startsDisconnectedWhenTheFirstConnectFails() throws Exception {
    AtomicInteger failuresToInject = new AtomicInteger(2);
    LibvirtConnection.Factory factory =
        u -> {
          if (failuresToInject.getAndDecrement() > 0) {
            throw new IllegalStateException("daemon not reachable (simulated)");
          }
          return new Connect(u);
        };
    try (LibvirtHypervisor late =
        new LibvirtHypervisor(uri, factory, Duration.ofMillis(10), Duration.ofMillis(20))) {
      assertTrue(late.awaitConnected(WAIT));
      assertEquals(Optional.empty(), late.lookup("g1"));
    }
  }

  @Test
  void errorCodesMapToKinds() {
    assertEquals(Kind.NOT_FOUND, LibvirtErrors.kindOf(org.libvirt.Error.ErrorNumber.VIR_ERR_NO_DOMAIN));
    assertEquals(
        Kind.CONNECTION_LOST, LibvirtErrors.kindOf(org.libvirt.Error.ErrorNumber.VIR_ERR_INVALID_CONN));
    assertEquals(
        Kind.INVALID_CONFIG, LibvirtErrors.kindOf(org.libvirt.Error.ErrorNumber.VIR_ERR_XML_ERROR));
    assertEquals(
        Kind.INVALID_STATE,
        LibvirtErrors.kindOf(org.libvirt.Error.ErrorNumber.VIR_ERR_OPERATION_INVALID));
    assertEquals(Kind.OTHER, LibvirtErrors.kindOf(org.libvirt.Error.ErrorNumber.VIR_ERR_NO_MEMORY));
    assertEquals(Kind.OTHER, LibvirtErrors.kindOf(null));
  }

  private static DomainEvent next(BlockingQueue<DomainEvent> events, DomainEvent.Kind kind)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      DomainEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no " + kind + " event within " + WAIT);
      }
      if (e.kind() == kind) {
        return e;
      }
    }
  }
}
