package io.vguest.reconcile;

import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole.DeviceKind;
import io.vguest.devices.VifModel;
import io.vguest.domain.DirectKernelBoot;
import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.GuestDefinition.ClockOffset;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.InterfaceDefinition.Kind;
import io.vguest.domain.xml.Controller;
import io.vguest.domain.xml.DeviceList;
import io.vguest.domain.xml.Disk;
import io.vguest.domain.xml.Domain;
import io.vguest.domain.xml.Interface;
import io.vguest.domain.xml.Os;
import io.vguest.domain.xml.Sysinfo;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The facts of a domain that name what a guest sees, taken from the typed domain model (read from
 * the XML libvirt holds, or the one just rendered), so that libvirt's additions (defaults,
 * addresses, element order) do not matter. Used to name pending changes and to report what the
 * defined domain gives the guest; never to decide whether to redefine (the render hash does that).
 */
public record DomainFacts(Domain domain) {

  /** One {@code <disk>}: the target name is left out, it follows the bus. */
  public record DiskFact(DeviceKind device, DiskBus bus, String serial, VolumeRef source, boolean readOnly,
      Integer bootOrder) {

    static DiskFact of(Disk disk) {
      return new DiskFact(disk.device(), disk.targetBus(), disk.serial(),
          disk.pool() == null ? null : new VolumeRef(disk.pool(), disk.volume()), disk.readOnly(), disk.bootOrder());
    }

    /** The disk without its bus, to tell a bus change from any other change. */
    DiskFact withoutBus() {
      return new DiskFact(device, null, serial, source, readOnly, bootOrder);
    }

    /** The disk without its bus and boot position (which moves down one in rescue mode). */
    DiskFact withoutBusAndBootOrder() {
      return new DiskFact(device, null, serial, source, readOnly, null);
    }

    /** Whether this is the rescue disk, attached only while spec.rescue is set. */
    boolean rescue() {
      return GuestDefinition.RESCUE_SERIAL.equals(serial);
    }
  }

  /** One {@code <interface>}. */
  public record NicFact(Kind type, String source, String mac, VifModel model) {

    static NicFact of(Interface nic) {
      return new NicFact(nic.type(), nic.source(), nic.mac(), nic.model());
    }

    NicFact withoutModel() {
      return new NicFact(type, source, mac, null);
    }
  }

  public DomainFacts {
    Objects.requireNonNull(domain, "domain");
    domain = controllersInOrder(domain);
  }

  /**
   * The same domain with its controllers ordered by type and index. libvirt orders them as it likes
   * (a daemon restart moves the PCI root from last to first in the same persistent config), and
   * their order means nothing; two reads of an unchanged domain must be equal facts.
   */
  private static Domain controllersInOrder(Domain domain) {
    DeviceList devices = domain.devices();
    if (devices == null) {
      return domain;
    }
    List<Controller> ordered = devices.controllers().stream()
        .sorted(Comparator.comparing(Controller::type).thenComparingInt(Controller::index)).toList();
    if (ordered.equals(devices.controllers())) {
      return domain;
    }
    DeviceList sorted = new DeviceList(ordered, devices.disks(), devices.interfaces(), devices.console(),
        devices.inputs(), devices.video(), devices.rng(), devices.tpm(), devices.memballoon());
    return new Domain(domain.type(), domain.name(), domain.uuid(), domain.metadata(), domain.memoryKiB(),
        domain.vcpus(), domain.sysinfo(), domain.os(), domain.features(), domain.clockOffset(), sorted,
        domain.genid(), domain.smm());
  }

  /**
   * Reads the XML a domain holds.
   *
   * @throws IllegalArgumentException when it is unreadable or not a domain vguest can have written
   */
  public static DomainFacts parse(String domainXml) {
    return new DomainFacts(Domain.parse(domainXml));
  }

  public String uuid() {
    return domain.uuid();
  }

  public long memoryKiB() {
    return domain.memoryKiB();
  }

  public int vcpus() {
    return domain.vcpus();
  }

  /** The {@code <os><type machine>} attribute. */
  public String machine() {
    return domain.os().machine();
  }

  /** The direct kernel boot, or null when the domain boots from its disks. */
  public DirectKernelBoot kernelBoot() {
    Os os = domain.os();
    return os.kernel() == null ? null : new DirectKernelBoot(os.kernel(), os.initrd(), os.cmdline());
  }

  /** The SMBIOS system serial, or null. */
  public String serial() {
    return domain.sysinfo() == null ? null : domain.sysinfo().systemEntry("serial");
  }

  public String chassisSerial() {
    return domain.sysinfo() == null ? null : domain.sysinfo().chassisSerial();
  }

  public List<String> oemStrings() {
    Sysinfo sysinfo = domain.sysinfo();
    return sysinfo == null ? List.of() : sysinfo.oemStrings();
  }

  public ClockOffset clockOffset() {
    return domain.clockOffset();
  }

  public List<DiskFact> disks() {
    return domain.devices().disks().stream().map(DiskFact::of).toList();
  }

  public List<NicFact> interfaces() {
    return domain.devices().interfaces().stream().map(NicFact::of).toList();
  }

  /** The vguest metadata, or null when the domain has none (or it is unreadable). */
  public GuestMetadata metadata() {
    return domain.metadata() == null ? null : domain.metadata().guest();
  }

  /** The defined bus of the disk with this serial, or null when the domain has no such disk. */
  public DiskBus busOfSerial(String diskSerial) {
    if (diskSerial == null) {
      return null;
    }
    return disks().stream().filter(d -> diskSerial.equals(d.serial())).map(DiskFact::bus).findFirst().orElse(null);
  }
}
