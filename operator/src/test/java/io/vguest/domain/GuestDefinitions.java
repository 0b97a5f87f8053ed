package io.vguest.domain;

import io.vguest.devices.BootMode;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.FirmwareChoices;
import io.vguest.devices.TpmVersion;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import io.vguest.devices.InputBus;
import io.vguest.devices.OsFamilyDefaults;
import io.vguest.devices.PointerModel;
import io.vguest.devices.RngModel;
import io.vguest.devices.ScsiModel;
import io.vguest.devices.VideoModel;
import io.vguest.devices.VifModel;
import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.domain.GuestDefinition.ClockOffset;
import io.vguest.domain.InterfaceDefinition.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Test builder for complete {@link GuestDefinition}s with fixed values (uuid, serials, MACs,
 * creation time, generation), so that golden files stay stable. Each scenario starts from
 * {@link #linux()} or {@link #windows()} and changes only what it is about.
 */
final class GuestDefinitions {

  static final String Q35 = "pc-q35-7.2";
  static final String I440FX = "pc-i440fx-7.2";
  static final String SERIAL = "0e4b7c2d-1a3f-5b6c-8d9e-0f1a2b3c4d5e";
  static final String HOST_SERIAL = "4c4c4544-0042-3510-8052-b7c04f4e3232";
  static final String ROOT_SERIAL = "VG3QK7ZP2MXA4TBN6WRC";
  static final String DATA_SERIAL = "VGD4TA2B5SNQ7XLM3KPE";
  static final String CDROM_SERIAL = "VGCD7RM2Q4Z6NW3YH5JT";
  static final String MAC = "02:5a:3c:11:22:33";
  static final String HOST_ID = "8e1f0c2d3b4a59687706f5e4d3c2";

  private GuestDefinitions() {}

  /**
   * Every golden scenario: file name (under {@code src/test/resources/golden/}) to its guest, in a
   * fixed order.
   */
  static Map<String, GuestDefinition> goldenScenarios() {
    Map<String, GuestDefinition> scenarios = new LinkedHashMap<>();
    scenarios.put("linux-guest.xml", linux().build());
    scenarios.put("windows-guest.xml", windows().build());
    for (DiskBus bus : List.of(DiskBus.VIRTIO, DiskBus.SCSI, DiskBus.SATA, DiskBus.IDE, DiskBus.USB)) {
      scenarios.put("bus-" + bus.value() + ".xml", onBus(bus).build());
    }
    scenarios.put("floppy-fdc.xml", floppy().build());
    scenarios.put("serial-unique.xml", serialUnique().build());
    scenarios.put("serial-host.xml", serialHost().build());
    scenarios.put("serial-none.xml", serialNone().build());
    scenarios.put("hostile-text.xml", hostileText().build());
    scenarios.put("rescue-sata.xml", rescue().build());
    scenarios.put("kernel-boot.xml", kernelBoot().build());
    for (boolean tpm : new boolean[] {false, true}) {
      String suffix = tpm ? "-tpm.xml" : ".xml";
      scenarios.put("firmware-bios" + suffix, firmware(BootMode.BIOS, false, tpm, Q35).build());
      if (tpm) {
        scenarios.put("firmware-bios-i440fx" + suffix, firmware(BootMode.BIOS, false, true, I440FX).build());
      }
      scenarios.put("firmware-uefi" + suffix, firmware(BootMode.UEFI, false, tpm, Q35).build());
      scenarios.put("firmware-uefi-secureboot" + suffix, firmware(BootMode.UEFI, true, tpm, Q35).build());
    }
    return scenarios;
  }

  /**
   * A Linux guest as the linux example renders: virtio root and data disks, an empty cdrom on sata,
   * a virtio NIC on a libvirt network, unique serial, chassis serial and OEM strings.
   */
  static Builder linux() {
    return new Builder()
        .disk("root", DiskRole.ROOT, DiskBus.VIRTIO, volume("default", "web-1-root.qcow2"), ROOT_SERIAL, 1, null)
        .disk("data", DiskRole.DATA, DiskBus.VIRTIO, volume("default", "demo_web-1_data.qcow2"), DATA_SERIAL, null,
            "qcow2")
        .disk("cdrom", DiskRole.CDROM, DiskBus.SATA, null, CDROM_SERIAL, null, null)
        .nic("eth0", Kind.NETWORK, "default", VifModel.VIRTIO, MAC)
        .chassisSerial(HOST_SERIAL)
        .oemStrings(List.of("vguest:v1:disk:data:virtio:" + DATA_SERIAL, "vguest:v1:nic:primary:" + MAC,
            "vguest:v1:hostid:" + HOST_ID));
  }

  /**
   * A Windows guest: sata root, an external volume whose id is its serial, a driver ISO on sata,
   * an e1000e NIC on a bridge, usb tablet and keyboard, vga, local time.
   */
  static Builder windows() {
    return new Builder()
        .name("demo", "erp-1")
        .resources(4, 8L * 1024 * 1024)
        .devices(OsFamilyDefaults.WINDOWS.withMachineType(Q35))
        .clock(ClockOffset.LOCALTIME)
        .displayName("ERP Server")
        .profile("windows-sata")
        .disk("root", DiskRole.ROOT, DiskBus.SATA, volume("default", "erp-1-root.qcow2"), ROOT_SERIAL, 1, null)
        .externalDisk("erp-data", DiskBus.SATA, volume("volumes", "8f0d6e4c-2b7a-4c39-9d52-0e7a1b2c3d4e"))
        .disk("drivers", DiskRole.CDROM, DiskBus.SATA, volume("default", "virtio-win.iso"), CDROM_SERIAL, null, null)
        .nic("lan", Kind.BRIDGE, "br0", VifModel.E1000E, MAC)
        .oemStrings(List.of("vguest:v1:disk:erp-data:sata:8f0d6e4c-2b7a-4c39-9d", "vguest:v1:nic:lan:" + MAC));
  }

  /**
   * The Windows guest with a firmware: the NVRAM in the root disk's pool (libvirt copies the OVMF
   * template there at the first start), a TPM 2.0 (CRB on q35, TIS on i440fx) whose state is carried
   * in a volume of the same pool.
   */
  static Builder firmware(BootMode bootMode, boolean secureBoot, boolean tpm, String machineType) {
    VolumeRef nvram = bootMode == BootMode.UEFI ? volume("default", "demo_erp-1_nvram.fd") : null;
    return windows()
        .devices(OsFamilyDefaults.WINDOWS.withMachineType(machineType))
        .firmware(new FirmwareDefinition(bootMode, secureBoot, tpm ? TpmVersion.V2_0 : TpmVersion.NONE, nvram,
            nvram == null ? null : "/var/lib/libvirt/images/" + nvram.volume(),
            tpm ? FirmwareChoices.tpmModel(machineType) : null,
            tpm ? volume("default", "demo_erp-1_tpm.state") : null));
  }

  /** A root and a data disk on one bus; ide needs an i440fx machine (q35 has no IDE controller). */
  static Builder onBus(DiskBus bus) {
    DeviceChoices devices = OsFamilyDefaults.LINUX.withMachineType(bus == DiskBus.IDE ? I440FX : Q35);
    if (bus == DiskBus.SCSI) {
      devices = new DeviceChoices(devices.machineType(), DiskBus.SCSI, DiskBus.SATA, DiskBus.FDC, DiskBus.SCSI,
          InputBus.VIRTIO, PointerModel.USBTABLET, RngModel.VIRTIO, ScsiModel.VIRTIO_SCSI, VideoModel.VIRTIO,
          VifModel.VIRTIO);
    }
    String dataSerial = bus == DiskBus.SCSI || bus == DiskBus.USB
        ? "VGD4TA2B5SNQ7XLM3KPE-0123456789ABCDE" : DATA_SERIAL;
    return linux()
        .name("demo", "bus-" + bus.value())
        .devices(devices)
        .noDisks()
        .disk("root", DiskRole.ROOT, bus, volume("default", "bus-" + bus.value() + "-root.qcow2"), ROOT_SERIAL, 1,
            null)
        .disk("data", DiskRole.DATA, bus, volume("default", "bus-" + bus.value() + "-data.qcow2"), dataSerial, null,
            "qcow2")
        .oemStrings(List.of("vguest:v1:disk:data:" + bus.value() + ":" + DiskTargets.guestSerial(dataSerial, bus)));
  }

  /** A virtio root disk and a floppy on fdc: no serial on the floppy (it has none to show). */
  static Builder floppy() {
    return linux()
        .name("demo", "floppy-1")
        .noDisks()
        .disk("root", DiskRole.ROOT, DiskBus.VIRTIO, volume("default", "floppy-1-root.qcow2"), ROOT_SERIAL, 1, null)
        .disk("floppy", DiskRole.FLOPPY, DiskBus.FDC, volume("default", "drivers.img"), null, null, "raw");
  }

  /** The generated serial without chassis serial or OEM strings; the console is logged to a file. */
  static Builder serialUnique() {
    return linux().name("demo", "serial-unique").chassisSerial(null).oemStrings(List.of())
        .consoleLogPath("/var/log/vguest/console/demo_serial-unique.log");
  }

  /** The node's serial as the system serial; no chassis serial (that is for unique guests). */
  static Builder serialHost() {
    return linux().name("demo", "serial-host").serialPolicy("host", HOST_SERIAL).chassisSerial(null)
        .oemStrings(List.of());
  }

  /** No serial entry at all; uuid, manufacturer, product and family are still there. */
  static Builder serialNone() {
    return linux().name("demo", "serial-none").serialPolicy("none", null).chassisSerial(null).oemStrings(List.of());
  }

  /** Markup characters and non-ASCII text in every free-text place the renderer writes. */
  static Builder hostileText() {
    return linux()
        .name("demo", "hostile-1")
        .displayName("Grüße 東京 <b>\"Tom & Jerry's\"</b>")
        .profile("<profile attr='x'> & \"more\" ünïcödé 東京")
        .owner(new GuestMetadata.Owner("Set<&>", "owner \"a\" & 'b' <c>", "0a1b2c3d-0000-4000-8000-000000000001"))
        .oemStrings(List.of("vguest:v1:note:<tag attr=\"v\" other='w'> & Grüße 東京"));
  }

  /**
   * The Linux guest in rescue mode: a rescue volume on sata (the rescue bus) boots first; root, data
   * and cdrom stay attached behind it with their serials, the root disk second in the boot order.
   */
  static Builder rescue() {
    return linux()
        .name("demo", "rescue-1")
        .rescue(new DiskDefinition("rescue", DiskRole.DATA, DiskBus.SATA, volume("default", "rescue.qcow2"),
            GuestDefinition.RESCUE_SERIAL, 1, false, null));
  }

  /**
   * Direct kernel boot (kernel and initrd paths as resolved from pool volumes, a command line with
   * characters that need escaping); the disks stay attached and the root disk keeps its boot order.
   */
  static Builder kernelBoot() {
    return linux().name("demo", "kernel-1")
        .kernelBoot(new DirectKernelBoot("/var/lib/libvirt/images/vmlinuz-6.1.0-amd64",
            "/var/lib/libvirt/images/initrd.img-6.1.0-amd64",
            "console=ttyS0 root=/dev/vda1 note=\"a<b & c>'d'\" quiet"));
  }

  static VolumeRef volume(String pool, String volume) {
    return new VolumeRef(pool, volume);
  }

  /** Mutable on purpose: a scenario is a few calls on top of a base guest. */
  static final class Builder {
    private String namespace = "demo";
    private DiskDefinition rescue;
    private FirmwareDefinition firmware = FirmwareDefinition.BIOS;
    private String name = "web-1";
    private VirtType virtType = VirtType.QEMU;
    /** Null: a name-based uuid of namespace/name, so scenarios never share a uuid in libvirt. */
    private String uuid;
    private int vcpus = 2;
    private long memoryKiB = 2L * 1024 * 1024;
    private String serialPolicy = "unique";
    private String serial = SERIAL;
    private String chassisSerial;
    private List<String> oemStrings = List.of();
    private ClockOffset clock = ClockOffset.UTC;
    private final List<DiskDefinition> disks = new ArrayList<>();
    private final List<InterfaceDefinition> nics = new ArrayList<>();
    private final Map<String, String> diskSerials = new TreeMap<>();
    private DeviceChoices devices = OsFamilyDefaults.LINUX.withMachineType(Q35);
    private String consoleLogPath;
    private DirectKernelBoot kernelBoot;
    private String displayName = "Web-Server München";
    private String profile = "linux-virtio";
    private String uid = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
    private String creationTime = "2024-05-01T12:00:00Z";
    private Long generation = 3L;
    private String node = "node-a";
    private GuestMetadata.Owner owner;

    Builder name(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
      return this;
    }

    Builder virtType(VirtType virtType) {
      this.virtType = virtType;
      return this;
    }

    Builder uuid(String uuid) {
      this.uuid = uuid;
      return this;
    }

    Builder resources(int vcpus, long memoryKiB) {
      this.vcpus = vcpus;
      this.memoryKiB = memoryKiB;
      return this;
    }

    Builder serialPolicy(String policy, String serial) {
      this.serialPolicy = policy;
      this.serial = serial;
      return this;
    }

    Builder chassisSerial(String chassisSerial) {
      this.chassisSerial = chassisSerial;
      return this;
    }

    Builder oemStrings(List<String> oemStrings) {
      this.oemStrings = oemStrings;
      return this;
    }

    Builder clock(ClockOffset clock) {
      this.clock = clock;
      return this;
    }

    Builder devices(DeviceChoices devices) {
      this.devices = devices;
      return this;
    }

    Builder consoleLogPath(String path) {
      this.consoleLogPath = path;
      return this;
    }

    Builder kernelBoot(DirectKernelBoot kernelBoot) {
      this.kernelBoot = kernelBoot;
      return this;
    }

    Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    Builder profile(String profile) {
      this.profile = profile;
      return this;
    }

    Builder generation(Long generation) {
      this.generation = generation;
      return this;
    }

    Builder owner(GuestMetadata.Owner owner) {
      this.owner = owner;
      return this;
    }

    Builder noDisks() {
      disks.clear();
      diskSerials.clear();
      return this;
    }

    /** A drive whose serial (when given) was generated and stamped into the identity. */
    Builder disk(String diskName, DiskRole role, DiskBus bus, VolumeRef source, String serial, Integer bootOrder,
        String format) {
      disks.add(new DiskDefinition(diskName, role, bus, source, serial, bootOrder, false, format));
      if (serial != null) {
        diskSerials.put(diskName, serial);
      }
      return this;
    }

    /** An external volume: its volume id is its serial, nothing is stamped for it. */
    Builder externalDisk(String diskName, DiskBus bus, VolumeRef source) {
      disks.add(new DiskDefinition(diskName, DiskRole.DATA, bus, source, source.volume(), null, false, null));
      return this;
    }

    /** Replaces the disks with a changed copy of each (e.g. a different bus). */
    Builder mapDisks(UnaryOperator<DiskDefinition> change) {
      disks.replaceAll(change);
      return this;
    }

    Builder firmware(FirmwareDefinition firmware) {
      this.firmware = firmware;
      return this;
    }

    Builder rescue(DiskDefinition rescue) {
      this.rescue = rescue;
      return this;
    }

    Builder nic(String nicName, Kind kind, String source, VifModel model, String mac) {
      nics.add(new InterfaceDefinition(nicName, kind, source, model, mac));
      return this;
    }

    GuestDefinition build() {
      String uuid = this.uuid != null ? this.uuid
          : java.util.UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
      Map<String, String> macs = new TreeMap<>();
      nics.forEach(nic -> macs.put(nic.name(), nic.macAddress()));
      GuestMetadata metadata = new GuestMetadata(
          "0.1.0-test",
          namespace,
          name,
          uid,
          displayName,
          profile,
          creationTime,
          owner,
          disks.stream().filter(d -> d.role() == DiskRole.ROOT && d.source() != null).findFirst()
              .map(d -> new GuestMetadata.RootSource("volume", d.source().pool(), d.source().volume())).orElse(null),
          node,
          generation,
          new GuestMetadata.Identity(serialPolicy, "unique".equals(serialPolicy) ? serial : null, uuid,
              namespace + "/" + name, new TreeMap<>(diskSerials), new TreeMap<>(macs)),
          devices,
          null);
      Smbios smbios = new Smbios("vguest", "vguest virtual machine", "0.1.0", serial, "vguest", chassisSerial,
          oemStrings);
      return new GuestDefinition(namespace + "_" + name, virtType, uuid, vcpus, memoryKiB, smbios, kernelBoot, clock,
          List.copyOf(disks), List.copyOf(nics), devices, consoleLogPath,
          firmware.equals(FirmwareDefinition.BIOS) ? metadata
              : metadata.withFirmware(GuestMetadata.FirmwareState.of(firmware)), rescue, firmware);
    }
  }
}
