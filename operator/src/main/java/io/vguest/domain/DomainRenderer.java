package io.vguest.domain;

import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import io.vguest.devices.InputBus;
import io.vguest.devices.PointerModel;
import io.vguest.devices.RngModel;
import io.vguest.domain.xml.Controller;
import io.vguest.domain.xml.DeviceList;
import io.vguest.domain.xml.Disk;
import io.vguest.domain.xml.Domain;
import io.vguest.domain.xml.Input;
import io.vguest.domain.xml.Interface;
import io.vguest.domain.xml.Metadata;
import io.vguest.domain.xml.Os;
import io.vguest.domain.xml.OsFirmware;
import io.vguest.domain.xml.Rng;
import io.vguest.domain.xml.SerialConsole;
import io.vguest.domain.xml.Sysinfo;
import io.vguest.domain.xml.Tpm;
import io.vguest.domain.xml.Video;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a complete {@link GuestDefinition} into libvirt domain XML. Pure and deterministic: the
 * same definition always gives byte-identical XML, with no clock, environment or I/O involved.
 */
public final class DomainRenderer {

  static final String ARCH = "x86_64";

  /** swtpm's backend version for {@code spec.firmware.tpm: v2.0}. */
  static final String TPM_BACKEND_VERSION = "2.0";

  public RenderedDomain render(GuestDefinition guest) {
    String hash = hash(toModel(guest, null).toXml());
    GuestMetadata metadata = guest.metadata().withRenderHash(hash);

    Domain model = toModel(guest, new Metadata(metadata));
    return new RenderedDomain(model.toXml(), hash, model);
  }

  Domain toModel(GuestDefinition guest, Metadata metadata) {
    return new Domain(
        guest.virtType(),
        guest.domainName(),
        guest.uuid(),
        metadata,
        guest.memoryKiB(),
        guest.vcpus(),
        sysinfo(guest),
        os(guest),
        List.of("acpi", "apic"),
        guest.clockOffset(),
        devices(guest),
        guest.generationId(),
        guest.firmware().secureBoot());
  }

  static Os os(GuestDefinition guest) {
    DirectKernelBoot boot = guest.kernelBoot();
    FirmwareDefinition f = guest.firmware();
    OsFirmware uefi = f.uefi() ? new OsFirmware(f.secureBoot(), f.nvramPath()) : null;
    return boot == null ? new Os(ARCH, guest.machineType(), null, null, null, uefi)
        : new Os(ARCH, guest.machineType(), boot.kernel(), boot.initrd(), boot.cmdline(), uefi);
  }

  static Sysinfo sysinfo(GuestDefinition guest) {
    Smbios smbios = guest.smbios();
    Map<String, String> system = new LinkedHashMap<>();
    system.put("manufacturer", smbios.manufacturer());
    system.put("product", smbios.product());
    system.put("version", smbios.version());
    system.put("serial", smbios.serial());
    system.put("uuid", guest.uuid());
    system.put("family", smbios.family());
    return new Sysinfo(system, smbios.chassisSerial(), smbios.oemStrings());
  }

  static DeviceList devices(GuestDefinition guest) {
    DeviceChoices choices = guest.devices();
    DeviceAddressPlan at = new DeviceAddressPlan(guest.deviceAddresses());
    List<Controller> controllers = new ArrayList<>(controllers(guest, at));
    controllers.addAll(at.implicitControllers());
    return new DeviceList(
        controllers,
        disks(attached(guest), at),
        guest.interfaces().stream()
            .map(nic -> new Interface(nic.kind(), nic.source(), nic.macAddress(), nic.model(),
                at.of(DeviceKeys.nic(nic.name()))))
            .toList(),
        new SerialConsole(guest.consoleLogPath()),
        inputs(choices, at),
        new Video(choices.videoModel(), at.of(DeviceKeys.video(0))),
        choices.rngModel() == RngModel.NONE ? null : new Rng(choices.rngModel(), at.of(DeviceKeys.rng(0))),
        guest.firmware().hasTpm() ? new Tpm(Tpm.Model.fromXml(guest.firmware().tpmModel()), TPM_BACKEND_VERSION) : null,
        at.memballoon());
  }

  static List<Controller> controllers(GuestDefinition guest) {
    return controllers(guest, new DeviceAddressPlan(Map.of()));
  }

  private static List<Controller> controllers(GuestDefinition guest, DeviceAddressPlan at) {
    boolean scsi = attached(guest).stream().anyMatch(d -> d.bus() == DiskBus.SCSI);
    return scsi ? List.of(new Controller(Controller.Type.SCSI, 0, guest.devices().scsiModel().value(),
        at.of(DeviceKeys.controller("scsi", 0)))) : List.of();
  }

  /**
   * The drives in attach order. In rescue mode the rescue disk comes first and boots first; the
   * guest's own disks follow, each keeping its serial, with its boot position moved one down.
   */
  static List<DiskDefinition> attached(GuestDefinition guest) {
    DiskDefinition rescue = guest.rescue();
    if (rescue == null) {
      return guest.disks();
    }
    List<DiskDefinition> disks = new ArrayList<>();
    disks.add(rescue.withBootOrder(1));
    for (DiskDefinition d : guest.disks()) {
      disks.add(d.bootOrder() == null ? d : d.withBootOrder(d.bootOrder() + 1));
    }
    return disks;
  }

  /** Target names are handed out per prefix in the order the disks are listed. */
  static List<Disk> disks(List<DiskDefinition> disks) {
    return disks(disks, new DeviceAddressPlan(Map.of()));
  }

  private static List<Disk> disks(List<DiskDefinition> disks, DeviceAddressPlan at) {
    Map<String, Integer> next = new HashMap<>();
    List<Disk> result = new ArrayList<>();
    for (DiskDefinition disk : disks) {
      String prefix = DiskTargets.prefix(disk.bus());
      int index = next.merge(prefix, 1, Integer::sum) - 1;
      DiskDefinition.VolumeRef source = disk.source();
      boolean floppy = disk.role() == DiskRole.FLOPPY;
      result.add(new Disk(
          disk.role().kind(),
          disk.format(),
          source == null ? null : source.pool(),
          source == null ? null : source.volume(),
          DiskTargets.targetName(disk.bus(), index),
          disk.bus(),
          floppy ? null : disk.serial(),
          disk.bootOrder(),
          disk.readOnly() || disk.role() == DiskRole.CDROM,
          floppy ? null : disk.wwn(),
          GuestDefinition.RESCUE_SERIAL.equals(disk.serial()) ? null : at.ofDisk(DeviceKeys.disk(disk.name()), disk.bus())));
    }
    return result;
  }

  static List<Input> inputs(DeviceChoices choices) {
    return inputs(choices, new DeviceAddressPlan(Map.of()));
  }

  private static List<Input> inputs(DeviceChoices choices, DeviceAddressPlan at) {
    InputBus bus = choices.inputBus();
    List<Input> inputs = new ArrayList<>();
    if (choices.pointerModel() == PointerModel.USBTABLET) {
      inputs.add(new Input(Input.Type.TABLET, bus, at.of(DeviceKeys.input(Input.Type.TABLET, bus))));
    }
    inputs.add(new Input(Input.Type.KEYBOARD, bus, at.of(DeviceKeys.input(Input.Type.KEYBOARD, bus))));
    return inputs;
  }

  static String hash(String xml) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(xml.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
