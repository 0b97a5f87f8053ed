package io.vguest.domain;

import static io.vguest.domain.XmlAssert.assertSimilarXml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DiskBus;
import io.vguest.devices.InputBus;
import io.vguest.devices.OsFamilyDefaults;
import io.vguest.devices.PointerModel;
import io.vguest.devices.RngModel;
import io.vguest.devices.ScsiModel;
import io.vguest.devices.VideoModel;
import io.vguest.devices.VifModel;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DomainRendererTest {

  private final DomainRenderer renderer = new DomainRenderer();

  static Stream<Arguments> scenarios() {
    return GuestDefinitions.goldenScenarios().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void renderingTwiceGivesIdenticalXmlAndHash(String scenario, GuestDefinition guest) {
    RenderedDomain first = renderer.render(guest);
    RenderedDomain second = new DomainRenderer().render(guest);
    assertEquals(first, second);
    assertTrue(first.hash().matches("sha256:[0-9a-f]{64}"), first.hash());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void metadataCarriesTheRenderHash(String scenario, GuestDefinition guest) {
    RenderedDomain rendered = renderer.render(guest);
    assertEquals(guest.metadata().withRenderHash(rendered.hash()), GuestMetadata.parse(rendered.xml()));
  }

  static Stream<Arguments> metadataOnlyChanges() {
    return Stream.of(
        Arguments.of("generation", (UnaryOperator<GuestDefinitions.Builder>) b -> b.generation(4L)),
        Arguments.of("displayName", (UnaryOperator<GuestDefinitions.Builder>) b -> b.displayName("Another name")),
        Arguments.of("profile", (UnaryOperator<GuestDefinitions.Builder>) b -> b.profile("other-profile")),
        Arguments.of("owner", (UnaryOperator<GuestDefinitions.Builder>) b ->
            b.owner(new GuestMetadata.Owner("GuestSet", "set-1", "0a1b2c3d-0000-4000-8000-000000000001"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("metadataOnlyChanges")
  void hashIgnoresMetadataOnlyChanges(String change, UnaryOperator<GuestDefinitions.Builder> edit) {
    RenderedDomain before = renderer.render(GuestDefinitions.linux().build());
    RenderedDomain after = renderer.render(edit.apply(GuestDefinitions.linux()).build());
    assertEquals(before.hash(), after.hash(), change + " is metadata only and must not force a redefine");
    assertNotEquals(before.xml(), after.xml(), change + " must still be recorded in the metadata");
  }

  static Stream<Arguments> machineChanges() {
    return Stream.of(
        Arguments.of("disk bus", (UnaryOperator<GuestDefinitions.Builder>) b -> b.mapDisks(d -> d.bus() == DiskBus.VIRTIO
            ? new DiskDefinition(d.name(), d.role(), DiskBus.SATA, d.source(), d.serial(), d.bootOrder(), d.readOnly(),
                d.format())
            : d)),
        Arguments.of("disk serial", (UnaryOperator<GuestDefinitions.Builder>) b -> b.mapDisks(d ->
            new DiskDefinition(d.name(), d.role(), d.bus(), d.source(), "OTHER", d.bootOrder(), d.readOnly(),
                d.format()))),
        Arguments.of("system serial", (UnaryOperator<GuestDefinitions.Builder>) b -> b.serialPolicy("unique", "S-2")),
        Arguments.of("uuid", (UnaryOperator<GuestDefinitions.Builder>) b ->
            b.uuid("11111111-2222-4333-8444-555555555555")),
        Arguments.of("virt type", (UnaryOperator<GuestDefinitions.Builder>) b -> b.virtType(VirtType.KVM)),
        Arguments.of("memory", (UnaryOperator<GuestDefinitions.Builder>) b -> b.resources(2, 4L * 1024 * 1024)),
        Arguments.of("video model", (UnaryOperator<GuestDefinitions.Builder>) b ->
            b.devices(linuxWith(VideoModel.CIRRUS))),
        Arguments.of("kernel boot", (UnaryOperator<GuestDefinitions.Builder>) b ->
            b.kernelBoot(new DirectKernelBoot("/images/vmlinuz", null, null))),
        Arguments.of("kernel command line", (UnaryOperator<GuestDefinitions.Builder>) b ->
            b.kernelBoot(new DirectKernelBoot("/images/vmlinuz", null, "console=ttyS0"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("machineChanges")
  void hashChangesWithTheMachine(String change, UnaryOperator<GuestDefinitions.Builder> edit) {
    String before = renderer.render(GuestDefinitions.linux().build()).hash();
    String after = renderer.render(edit.apply(GuestDefinitions.linux()).build()).hash();
    assertNotEquals(before, after, change);
  }

  @Test
  void markupAndNonAsciiRoundTripThroughTheMetadata() {
    GuestDefinition guest = GuestDefinitions.hostileText().build();
    String xml = renderer.render(guest).xml();
    GuestMetadata parsed = GuestMetadata.parse(xml);
    assertEquals("Grüße 東京 <b>\"Tom & Jerry's\"</b>", parsed.displayName());
    assertEquals("<profile attr='x'> & \"more\" ünïcödé 東京", parsed.profile());
    assertEquals(guest.metadata().owner(), parsed.owner());
    assertTrue(xml.contains("Grüße 東京"), "non-ASCII text is written as is, not as character references");
  }

  @Test
  void charactersBeyondTheBasicPlaneRoundTrip() {
    String name = "rocket \ud83d\ude80 and \ud840\udc0b";
    String xml = renderer.render(GuestDefinitions.linux().displayName(name).build()).xml();
    assertEquals(name, GuestMetadata.parse(xml).displayName());
  }

  @Test
  void oemStringsAreEscaped() {
    String xml = renderer.render(GuestDefinitions.hostileText().build()).xml();
    assertTrue(xml.contains("<entry>vguest:v1:note:&lt;tag attr=\"v\" other='w'&gt; &amp; Grüße 東京</entry>"), xml);
  }

  static Stream<Arguments> controlCharacters() {
    return Stream.of(
        Arguments.of("displayName", "U+0007", (UnaryOperator<GuestDefinitions.Builder>) b -> b.displayName("bell\u0007")),
        Arguments.of("displayName", "U+001B", (UnaryOperator<GuestDefinitions.Builder>) b -> b.displayName("\u001b[31m")),
        Arguments.of("profile", "U+0000", (UnaryOperator<GuestDefinitions.Builder>) b -> b.profile("nul\u0000")),
        Arguments.of("oem string", "U+0085", (UnaryOperator<GuestDefinitions.Builder>) b ->
            b.oemStrings(List.of("next\u0085line"))),
        Arguments.of("lone surrogate", "unpaired surrogate", (UnaryOperator<GuestDefinitions.Builder>) b ->
            b.displayName("broken \ud800")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("controlCharacters")
  void controlCharactersAreRefused(String where, String named, UnaryOperator<GuestDefinitions.Builder> edit) {
    GuestDefinition guest = edit.apply(GuestDefinitions.linux()).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> renderer.render(guest));
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  @Test
  void scsiControllerOnlyWhenADiskUsesScsi() {
    assertEquals(List.of(), controllers(renderer.render(GuestDefinitions.linux().build()).xml()));
    assertEquals(List.of("<controller type='scsi' index='0' model='virtio-scsi'/>"),
        controllers(renderer.render(GuestDefinitions.onBus(DiskBus.SCSI).build()).xml()));
    DeviceChoices lsi = new DeviceChoices(GuestDefinitions.Q35, DiskBus.SCSI, DiskBus.SATA, DiskBus.FDC, DiskBus.SCSI,
        InputBus.USB, PointerModel.USBTABLET, RngModel.NONE, ScsiModel.LSISAS1078, VideoModel.VGA, VifModel.E1000E);
    assertEquals(List.of("<controller type='scsi' index='0' model='lsisas1078'/>"),
        controllers(renderer.render(GuestDefinitions.onBus(DiskBus.SCSI).devices(lsi).build()).xml()));
  }

  static Stream<Arguments> deviceSnippets() {
    return Stream.of(
        Arguments.of("linux inputs, video, rng", GuestDefinitions.linux(), """
            <devices>
              <input type='tablet' bus='virtio'/>
              <input type='keyboard' bus='virtio'/>
              <video><model type='virtio'/></video>
              <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
            </devices>"""),
        Arguments.of("no rng, no video adapter", GuestDefinitions.linux().devices(
            new DeviceChoices(GuestDefinitions.Q35, DiskBus.VIRTIO, DiskBus.SATA, DiskBus.FDC, DiskBus.VIRTIO,
                InputBus.USB, PointerModel.USBTABLET, RngModel.NONE, ScsiModel.VIRTIO_SCSI, VideoModel.NONE,
                VifModel.VIRTIO)), """
            <devices>
              <input type='tablet' bus='usb'/>
              <input type='keyboard' bus='usb'/>
              <video><model type='none'/></video>
            </devices>"""));
  }

  /** Compares the input, video and rng part of {@code <devices>} with a snippet. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("deviceSnippets")
  void rendersDeviceSnippet(String scenario, GuestDefinitions.Builder guest, String expected) {
    String xml = renderer.render(guest.build()).xml();
    Matcher m = Pattern.compile("(?s)(<input .*?)\\s*</devices>").matcher(xml);
    assertTrue(m.find(), xml);
    assertSimilarXml(expected, "<devices>" + m.group(1) + "</devices>", scenario);
  }

  static Stream<Arguments> osSnippets() {
    return Stream.of(
        Arguments.of("boot from the disks", GuestDefinitions.linux(), """
            <os>
              <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
              <smbios mode='sysinfo'/>
            </os>"""),
        Arguments.of("kernel, initrd and escaped command line", GuestDefinitions.kernelBoot(), """
            <os>
              <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
              <kernel>/var/lib/libvirt/images/vmlinuz-6.1.0-amd64</kernel>
              <initrd>/var/lib/libvirt/images/initrd.img-6.1.0-amd64</initrd>
              <cmdline>console=ttyS0 root=/dev/vda1 note="a&lt;b &amp; c&gt;'d'" quiet</cmdline>
              <smbios mode='sysinfo'/>
            </os>"""),
        Arguments.of("kernel without initrd or command line", GuestDefinitions.linux()
            .kernelBoot(new DirectKernelBoot("/srv/pool/vmlinuz", null, null)), """
            <os>
              <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
              <kernel>/srv/pool/vmlinuz</kernel>
              <smbios mode='sysinfo'/>
            </os>"""));
  }

  /** Compares {@code <os>} with a snippet. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("osSnippets")
  void rendersOsSnippet(String scenario, GuestDefinitions.Builder guest, String expected) {
    String xml = renderer.render(guest.build()).xml();
    Matcher m = Pattern.compile("(?s)<os>.*?</os>").matcher(xml);
    assertTrue(m.find(), xml);
    assertSimilarXml(expected, m.group(), scenario);
  }

  @Test
  void kernelBootKeepsTheDisksAndAcpi() {
    String xml = renderer.render(GuestDefinitions.kernelBoot().build()).xml();
    assertTrue(xml.contains("<acpi/>"), "power-off must reach shut off: " + xml);
    assertEquals(3, Pattern.compile("<disk ").matcher(xml).results().count(), xml);
    assertTrue(xml.contains("<boot order='1'/>"), xml);
  }

  @Test
  void rescueDiskBootsFirstOnTheRescueBusAndTheGuestsDisksFollowWithTheirSerials() {
    String xml = renderer.render(GuestDefinitions.rescue().build()).xml();
    Matcher m = Pattern.compile("(?s)<devices>\\s*(<disk .*</disk>)").matcher(xml);
    assertTrue(m.find(), xml);
    assertSimilarXml("""
        <disks>
          <disk type='volume' device='disk'>
            <driver name='qemu'/>
            <source pool='default' volume='rescue.qcow2'/>
            <target dev='sda' bus='sata'/>
            <serial>vguest-rescue</serial>
            <boot order='1'/>
          </disk>
          <disk type='volume' device='disk'>
            <driver name='qemu'/>
            <source pool='default' volume='web-1-root.qcow2'/>
            <target dev='vda' bus='virtio'/>
            <serial>VG3QK7ZP2MXA4TBN6WRC</serial>
            <boot order='2'/>
          </disk>
          <disk type='volume' device='disk'>
            <driver name='qemu' type='qcow2'/>
            <source pool='default' volume='demo_web-1_data.qcow2'/>
            <target dev='vdb' bus='virtio'/>
            <serial>VGD4TA2B5SNQ7XLM3KPE</serial>
          </disk>
          <disk type='file' device='cdrom'>
            <driver name='qemu'/>
            <target dev='sdb' bus='sata'/>
            <serial>VGCD7RM2Q4Z6NW3YH5JT</serial>
            <readonly/>
          </disk>
        </disks>""", "<disks>" + m.group(1) + "</disks>", "rescue");
  }

  @Test
  void leavingRescueModeRendersTheNormalDomain() {
    GuestDefinition rescued = GuestDefinitions.rescue().build();
    GuestDefinition normal = GuestDefinitions.rescue().rescue(null).build();
    assertNotEquals(renderer.render(rescued).hash(), renderer.render(normal).hash());
    assertEquals(renderer.render(GuestDefinitions.rescue().rescue(null).build()), renderer.render(normal));
    assertEquals(List.of("<controller type='scsi' index='0' model='virtio-scsi'/>"),
        controllers(renderer.render(GuestDefinitions.rescue().rescue(new DiskDefinition("rescue",
            io.vguest.devices.DiskRole.DATA, DiskBus.SCSI, GuestDefinitions.volume("default", "r.qcow2"),
            GuestDefinition.RESCUE_SERIAL, 1, false, null)).build()).xml()), "a rescue disk on scsi needs the controller");
  }

  @Test
  void virtTypeIsConfigurable() {
    assertTrue(renderer.render(GuestDefinitions.linux().virtType(VirtType.KVM).build()).xml()
        .startsWith("<domain type='kvm'>"));
    assertTrue(renderer.render(GuestDefinitions.linux().build()).xml().startsWith("<domain type='qemu'>"));
  }

  private static DeviceChoices linuxWith(VideoModel video) {
    DeviceChoices l = OsFamilyDefaults.LINUX;
    return new DeviceChoices(GuestDefinitions.Q35, l.diskBus(), l.cdromBus(), l.floppyBus(), l.rescueBus(),
        l.inputBus(), l.pointerModel(), l.rngModel(), l.scsiModel(), video, l.vifModel());
  }

  private static List<String> controllers(String xml) {
    return Pattern.compile("<controller [^>]*/>").matcher(xml).results().map(r -> r.group()).toList();
  }
}
