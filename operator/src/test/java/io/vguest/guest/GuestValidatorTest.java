package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.vguest.api.v1alpha1.BlankSource;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.DiskSource;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.GuestDeviceProfileSpec;
import io.vguest.api.v1alpha1.KernelBoot;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.Resources;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuestValidatorTest {

  private final GuestValidator validator = new GuestValidator(null);

  private static VirtualGuest guest() {
    VirtualGuest guest = new VirtualGuest();
    guest.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("default").build());
    VirtualGuestSpec spec = new VirtualGuestSpec();
    spec.nodeName = "node-a";
    spec.resources = new Resources();
    spec.resources.cpus = 2;
    spec.resources.memory = new Quantity("2Gi");
    spec.disks = new ArrayList<>(List.of(disk("root", DiskRole.ROOT, volume("default", "web-root"))));
    guest.setSpec(spec);
    return guest;
  }

  private static Disk disk(String name, DiskRole role, DiskSource source) {
    Disk disk = new Disk();
    disk.name = name;
    disk.role = role;
    disk.source = source;
    return disk;
  }

  private static DiskSource volume(String pool, String name) {
    DiskSource source = new DiskSource();
    source.volume = new VolumeSource();
    source.volume.pool = pool;
    source.volume.name = name;
    return source;
  }

  private static DiskSource blank(String pool, String size) {
    DiskSource source = new DiskSource();
    source.blank = new BlankSource();
    source.blank.pool = pool;
    source.blank.size = new Quantity(size);
    return source;
  }

  private static List<String> strings(List<Violation> violations) {
    return violations.stream().map(Violation::toString).toList();
  }

  @Test
  void acceptsAMinimalGuest() {
    assertEquals(List.of(), validator.validate(guest()));
  }

  @Test
  void violationPrintsFieldThenMessage() {
    assertEquals("spec.nodeName: Required value", new Violation("spec.nodeName", "Required value").toString());
  }

  @Test
  void refusesAGuestWithoutSpec() {
    VirtualGuest guest = guest();
    guest.setSpec(null);
    assertEquals(List.of("spec: Required value"), strings(validator.validate(guest)));
  }

  @Test
  void refusesMemoryBelow16Mi() {
    VirtualGuest guest = guest();
    guest.getSpec().resources.memory = new Quantity("15Mi");
    assertEquals(List.of("spec.resources.memory: Invalid value: \"15Mi\": must be between 16Mi and 4Ti"),
        strings(validator.validate(guest)));
  }

  @Test
  void acceptsMemoryAtBothLimits() {
    VirtualGuest guest = guest();
    guest.getSpec().resources.memory = new Quantity("16Mi");
    assertEquals(List.of(), validator.validate(guest));
    guest.getSpec().resources.memory = new Quantity("4Ti");
    assertEquals(List.of(), validator.validate(guest));
  }

  @Test
  void refusesMemoryAbove4Ti() {
    VirtualGuest guest = guest();
    guest.getSpec().resources.memory = new Quantity("5Ti");
    assertTrue(strings(validator.validate(guest)).get(0).startsWith("spec.resources.memory: Invalid value: \"5Ti\""));
  }

  @Test
  void refusesBlankSizesOutsideOneMiTo64Ti() {
    VirtualGuest guest = guest();
    guest.getSpec().disks.add(disk("data", DiskRole.DATA, blank("default", "512Ki")));
    assertEquals(List.of("spec.disks[1].source.blank.size: Invalid value: \"512Ki\": must be between 1Mi and 64Ti"),
        strings(validator.validate(guest)));
  }

  @Test
  void refusesAnUnparseableQuantity() {
    VirtualGuest guest = guest();
    guest.getSpec().resources.memory = new Quantity("lots");
    List<String> violations = strings(validator.validate(guest));
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).startsWith("spec.resources.memory: Invalid value: \"lots\": not a quantity"));
  }

  @Test
  void refusesSerialLongerThanTheBusFromDevicesShows() {
    VirtualGuest guest = guest();
    guest.getSpec().devices = new Devices();
    guest.getSpec().devices.diskBus = DiskBus.VIRTIO;
    guest.getSpec().disks.get(0).serial = "A".repeat(21);
    List<Violation> violations = validator.validate(guest);
    assertEquals(1, violations.size(), violations.toString());
    assertEquals("spec.disks[0].serial", violations.get(0).field());
    assertTrue(violations.get(0).message().contains("at most 20 characters on bus virtio (from spec.devices)"));
  }

  @Test
  void acceptsA36CharacterSerialOnScsiAndUsb() {
    for (DiskBus bus : List.of(DiskBus.SCSI, DiskBus.USB)) {
      VirtualGuest guest = guest();
      guest.getSpec().disks.get(0).bus = bus;
      guest.getSpec().disks.get(0).serial = "6f1c7b9e-3f4a-4c1e-9a53-2b8f0d6e7a10";
      assertEquals(List.of(), validator.validate(guest), bus.value());
    }
  }

  @Test
  void leavesSerialLengthToTheResolverWhenTheBusIsUnknown() {
    VirtualGuest guest = guest();
    guest.getSpec().disks.get(0).serial = "6f1c7b9e-3f4a-4c1e-9a53-2b8f0d6e7a10";
    assertEquals(List.of(), validator.validate(guest));
  }

  @Test
  void namesControlCharactersInAnyString() {
    VirtualGuest guest = guest();
    guest.getSpec().firmware = new io.vguest.api.v1alpha1.Firmware();
    guest.getSpec().firmware.serial = "ABC\u0000DEF";
    assertEquals(List.of("spec.firmware.serial: Invalid value: \"ABC\\u0000DEF\": must not contain control characters "
        + "or characters XML cannot carry (control character U+0000 at position 3)"), strings(validator.validate(guest)));
  }

  @Test
  void refusesC1ControlCharactersInEveryFreeTextField() {
    VirtualGuest guest = guest();
    guest.getSpec().displayName = "Web\u0085Server";
    guest.getSpec().firmware = new io.vguest.api.v1alpha1.Firmware();
    guest.getSpec().firmware.serial = "SN-\u009b31m";
    guest.getSpec().kernelBoot = kernelBoot(pooled("default", "vmlinuz"), null, "console=ttyS0\u0080");
    assertEquals(List.of(
        "spec.displayName: Invalid value: \"Web\\u0085Server\": must not contain control characters or characters XML "
            + "cannot carry (control character U+0085 at position 3); tab and line breaks are allowed",
        "spec.firmware.serial: Invalid value: \"SN-\\u009b31m\": must not contain control characters or characters XML "
            + "cannot carry (control character U+009B at position 3)",
        "spec.kernelBoot.cmdline: Invalid value: \"console=ttyS0\\u0080\": must not contain control characters or "
            + "characters XML cannot carry (control character U+0080 at position 13)"),
        strings(validator.validate(guest)));
  }

  @Test
  void acceptsTheCharactersJustOutsideTheControlRanges() {
    VirtualGuest guest = guest();
    guest.getSpec().displayName = "~\u00a0\u00ff\ufffd\ud83d\ude00 München";
    guest.getSpec().firmware = new io.vguest.api.v1alpha1.Firmware();
    guest.getSpec().firmware.serial = "VMware-42 1a\u00a0\u00e9";
    assertEquals(List.of(), validator.validate(guest));
  }

  @Test
  void refusesNonCharactersAndUnpairedSurrogatesXmlCannotCarry() {
    VirtualGuest guest = guest();
    guest.getSpec().displayName = "a\uffffb";
    guest.getSpec().firmware = new io.vguest.api.v1alpha1.Firmware();
    guest.getSpec().firmware.serial = "x\ud800";
    List<String> messages = strings(validator.validate(guest));
    assertEquals(2, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("spec.displayName: Invalid value: \"a\\uffffb\""), messages.get(0));
    assertTrue(messages.get(0).contains("U+FFFF, which is not a character at position 1"), messages.get(0));
    assertTrue(messages.get(1).startsWith("spec.firmware.serial: Invalid value: \"x\\ud800\""), messages.get(1));
    assertTrue(messages.get(1).contains("unpaired surrogate U+D800 at position 1"), messages.get(1));
  }

  @Test
  void acceptsInFreeTextExactlyWhatTheXmlWriterCanWrite() {
    VirtualGuest guest = guest();
    for (int ch = 0; ch <= 0xFFFF; ch++) {
      String value = "a" + (char) ch + "b";
      guest.getSpec().displayName = value;
      boolean accepted = validator.validate(guest).isEmpty();
      assertEquals(io.vguest.domain.xml.XmlWriter.isWritable(value), accepted, String.format("U+%04X", ch));
    }
  }

  @Test
  void refusesControlCharactersInTheControllerReferenceTheDomainRecords() {
    VirtualGuest guest = guest();
    guest.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("apps.example.com/v1").withKind("GuestSet").withName("set\u0085-1")
        .withUid("0b7c7d1e-8d4f-4f7e-9a51-2c7d1e8d4f01").withController(true).build()));
    List<Violation> violations = validator.validate(guest);
    assertEquals(List.of("metadata.ownerReferences[0].name"), violations.stream().map(Violation::field).toList());
  }

  @Test
  void refusesIdentityMapKeysThatNameNoDiskOrInterface() {
    VirtualGuest guest = guest();
    guest.getSpec().identity = new io.vguest.api.v1alpha1.GuestIdentity();
    guest.getSpec().identity.diskSerials = new java.util.TreeMap<>(java.util.Map.of("root\"/><x", "abc"));
    guest.getSpec().identity.macAddresses = new java.util.TreeMap<>(java.util.Map.of("eth0", "52:54:00:12:34:56",
        "Eth 1", "52:54:00:12:34:57"));
    assertEquals(List.of(
        "spec.identity.diskSerials: Invalid value: \"root\\\"/><x\": every key must be a disk name: a DNS label "
            + "(lower-case letters, digits, '-') of at most 63 characters",
        "spec.identity.macAddresses: Invalid value: \"Eth 1\": every key must be an interface name: a DNS label "
            + "(lower-case letters, digits, '-') of at most 63 characters"),
        strings(validator.validate(guest)));
  }

  @Test
  void allowsLineBreaksButNotOtherControlsInDisplayName() {
    VirtualGuest guest = guest();
    guest.getSpec().displayName = "two\nlines";
    assertEquals(List.of(), validator.validate(guest));
    guest.getSpec().displayName = "bell\u0007";
    assertEquals(List.of("spec.displayName: Invalid value: \"bell\\u0007\": must not contain control characters or "
        + "characters XML cannot carry (control character U+0007 at position 4); tab and line breaks are allowed"),
        strings(validator.validate(guest)));
  }

  @Test
  void shortensLongValuesInMessages() {
    String quoted = FieldCheck.quote("x".repeat(500));
    assertTrue(quoted.length() < 80, quoted);
    assertTrue(quoted.endsWith("...\""), quoted);
  }

  @Test
  void refusesPoolsTheNodeDoesNotAllowNamingTheAllowedOnes() {
    GuestValidator strict = new GuestValidator(Set.of("fast", "default"));
    VirtualGuest guest = guest();
    guest.getSpec().disks.add(disk("data", DiskRole.DATA, blank("slow", "1Gi")));
    assertEquals(List.of("spec.disks[1].source.blank.pool: Invalid value: \"slow\": this node allows only the pools "
        + "\"default\", \"fast\""), strings(strict.validate(guest)));
  }

  @Test
  void leavesPoolsUncheckedWithoutAnAllowList() {
    VirtualGuest guest = guest();
    guest.getSpec().disks.get(0).source = volume("anything", "root");
    assertEquals(List.of(), validator.validate(guest));
  }

  @Test
  void refusesAProfileReferenceWithANamespace() {
    VirtualGuest guest = guest();
    guest.getSpec().profile = "other/windows";
    List<Violation> violations = validator.validate(guest);
    assertEquals("spec.profile", violations.get(0).field());
    assertTrue(violations.get(0).message().contains("without a namespace"));
  }

  @Test
  void refusesDuplicateDiskAndInterfaceNames() {
    VirtualGuest guest = guest();
    guest.getSpec().disks.add(disk("root", DiskRole.DATA, blank("default", "1Gi")));
    NetworkInterface a = new NetworkInterface();
    a.name = "nic0";
    a.network = "default";
    NetworkInterface b = new NetworkInterface();
    b.name = "nic0";
    b.userMode = true;
    guest.getSpec().interfaces = List.of(a, b);
    assertEquals(List.of("spec.disks[1].name: Duplicate value: \"root\": disk names must be unique",
        "spec.interfaces[1].name: Duplicate value: \"nic0\": interface names must be unique"),
        strings(validator.validate(guest)));
  }

  @Test
  void refusesMoreDisksThanTheSchemaAllows() {
    VirtualGuest guest = guest();
    for (int i = 0; i < 32; i++) {
      guest.getSpec().disks.add(disk("d" + i, DiskRole.DATA, blank("default", "1Gi")));
    }
    assertEquals(List.of("spec.disks: Too many: 33: must have at most 32 items"), strings(validator.validate(guest)));
  }

  @Test
  void refusesIdeInAQ35Profile() {
    GuestDeviceProfile profile = new GuestDeviceProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName("old").build());
    profile.setSpec(new GuestDeviceProfileSpec());
    profile.getSpec().machineType = "q35";
    profile.getSpec().diskBus = DiskBus.IDE;
    List<Violation> violations = validator.validate(profile);
    assertEquals(1, violations.size(), violations.toString());
    assertEquals("spec.diskBus", violations.get(0).field());
  }

  @Test
  void acceptsAProfileWithoutSpec() {
    GuestDeviceProfile profile = new GuestDeviceProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName("empty").build());
    assertEquals(List.of(), validator.validate(profile));
  }

  @Test
  void refusesAGuestWithoutName() {
    VirtualGuest guest = guest();
    guest.getMetadata().setName(null);
    assertEquals(List.of("metadata.name: Required value"), strings(validator.validate(guest)));
  }

  private static KernelBoot kernelBoot(VolumeSource kernel, VolumeSource initrd, String cmdline) {
    KernelBoot boot = new KernelBoot();
    boot.kernel = kernel;
    boot.initrd = initrd;
    boot.cmdline = cmdline;
    return boot;
  }

  private static VolumeSource pooled(String pool, String name) {
    VolumeSource volume = new VolumeSource();
    volume.pool = pool;
    volume.name = name;
    return volume;
  }

  @Test
  void acceptsAKernelBootFromAllowedPools() {
    VirtualGuest guest = guest();
    guest.getSpec().kernelBoot = kernelBoot(pooled("default", "vmlinuz-6.1"), pooled("default", "initrd.img"),
        "console=ttyS0 root=/dev/vda1 quiet");
    assertEquals(List.of(), new GuestValidator(Set.of("default")).validate(guest));
  }

  @Test
  void kernelBootNeedsAKernel() {
    VirtualGuest guest = guest();
    guest.getSpec().kernelBoot = kernelBoot(null, pooled("default", "initrd.img"), null);
    assertEquals(List.of("spec.kernelBoot.kernel: Required value: the volume holding the kernel, as {pool, name}"),
        strings(validator.validate(guest)));
  }

  @Test
  void refusesKernelBootVolumesOutsideTheAllowedPoolsOrOutsideTheirPool() {
    VirtualGuest guest = guest();
    guest.getSpec().kernelBoot = kernelBoot(pooled("other", "vmlinuz"), pooled("default", "../../etc/shadow"), null);
    List<Violation> violations = new GuestValidator(Set.of("default")).validate(guest);
    assertEquals(List.of("spec.kernelBoot.kernel.pool", "spec.kernelBoot.initrd.name"),
        violations.stream().map(Violation::field).toList());
    assertTrue(violations.get(0).message().contains("this node allows only the pools \"default\""),
        violations.get(0).message());
    assertTrue(violations.get(1).message().contains("no '/' and no leading '.'"), violations.get(1).message());
  }

  @Test
  void refusesKernelBootVolumesWithoutPoolOrName() {
    VirtualGuest guest = guest();
    guest.getSpec().kernelBoot = kernelBoot(pooled(null, null), null, null);
    assertEquals(List.of("spec.kernelBoot.kernel.pool: Required value", "spec.kernelBoot.kernel.name: Required value"),
        strings(validator.validate(guest)));
  }

  @Test
  void refusesControlCharactersAndOverlongKernelCommandLines() {
    VirtualGuest guest = guest();
    guest.getSpec().kernelBoot = kernelBoot(pooled("default", "vmlinuz"), null, "console=ttyS0\ninit=/bin/sh");
    assertEquals(List.of("spec.kernelBoot.cmdline: Invalid value: \"console=ttyS0\\u000ainit=/bin/sh\": must not "
        + "contain control characters or characters XML cannot carry (control character U+000A at position 13)"),
        strings(validator.validate(guest)));

    guest.getSpec().kernelBoot.cmdline = "x".repeat(2048);
    List<Violation> violations = validator.validate(guest);
    assertEquals(List.of("spec.kernelBoot.cmdline"), violations.stream().map(Violation::field).toList());
    assertTrue(violations.get(0).message().contains("may not be more than 2047"), violations.get(0).message());

    guest.getSpec().kernelBoot.cmdline = "x".repeat(2047);
    assertEquals(List.of(), validator.validate(guest));
  }
}
