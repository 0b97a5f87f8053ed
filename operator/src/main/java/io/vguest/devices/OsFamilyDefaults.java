package io.vguest.devices;

/**
 * Device defaults per operating system family. These are the values a new guest is stamped with
 * when neither it nor its profile says otherwise; changing them affects only guests created later.
 */
public final class OsFamilyDefaults {

  /** Linux has drivers for every paravirtual device: virtio everywhere on a q35 machine. */
  public static final DeviceChoices LINUX = new DeviceChoices("q35", DiskBus.VIRTIO, DiskBus.SATA, DiskBus.FDC,
      DiskBus.VIRTIO, InputBus.VIRTIO, PointerModel.USBTABLET, RngModel.VIRTIO, ScsiModel.VIRTIO_SCSI,
      VideoModel.VIRTIO, VifModel.VIRTIO);

  /**
   * Windows boots from devices it has in-box drivers for: AHCI disks and cdrom, an Intel e1000e NIC,
   * a USB tablet and plain VGA. virtio needs drivers installed first (virtio-win).
   */
  public static final DeviceChoices WINDOWS = new DeviceChoices("q35", DiskBus.SATA, DiskBus.SATA, DiskBus.FDC,
      DiskBus.SATA, InputBus.USB, PointerModel.USBTABLET, RngModel.VIRTIO, ScsiModel.LSILOGIC, VideoModel.VGA,
      VifModel.E1000E);

  /**
   * Unknown systems get the oldest, most widely emulated hardware: an i440fx PC with IDE. On a q35
   * machine (chosen by the guest or its profile), which has no IDE controller, the drives go on
   * SATA (AHCI) instead, as Nova and KubeVirt do: see {@link #of(OsFamily, String)}.
   */
  public static final DeviceChoices OTHER = new DeviceChoices("pc", DiskBus.IDE, DiskBus.IDE, DiskBus.FDC,
      DiskBus.IDE, InputBus.USB, PointerModel.USBTABLET, RngModel.NONE, ScsiModel.LSILOGIC, VideoModel.VGA,
      VifModel.E1000);

  /** Used when no family is known at all; the same as Linux, like KubeVirt's and Nova's virtio defaults. */
  public static final DeviceChoices BUILT_IN = LINUX;

  /** The family a guest gets when neither it nor its profile names one. */
  public static final OsFamily DEFAULT_FAMILY = OsFamily.LINUX;

  private OsFamilyDefaults() {}

  /**
   * A family's defaults fitted to the machine type the guest ends up with: on a q35 type every IDE
   * default (disk, cdrom, rescue) becomes SATA, the bus Nova picks for a cdrom on q35 and the one
   * every x86 guest has drivers for. Other machine types get the family's defaults unchanged.
   */
  public static DeviceChoices of(OsFamily family, String machineType) {
    DeviceChoices defaults = of(family);
    if (!DeviceResolver.isQ35(machineType)) {
      return defaults;
    }
    return new DeviceChoices(defaults.machineType(), noIde(defaults.diskBus()), noIde(defaults.cdromBus()),
        defaults.floppyBus(), noIde(defaults.rescueBus()), defaults.inputBus(), defaults.pointerModel(),
        defaults.rngModel(), defaults.scsiModel(), defaults.videoModel(), defaults.vifModel());
  }

  private static DiskBus noIde(DiskBus bus) {
    return bus == DiskBus.IDE ? DiskBus.SATA : bus;
  }

  public static DeviceChoices of(OsFamily family) {
    if (family == null) {
      return BUILT_IN;
    }
    return switch (family) {
      case LINUX -> LINUX;
      case WINDOWS -> WINDOWS;
      case OTHER -> OTHER;
    };
  }
}
