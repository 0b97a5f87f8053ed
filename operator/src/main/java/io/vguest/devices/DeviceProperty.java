package io.vguest.devices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The eleven device properties of a guest as people name them ({@code diskBus}), where they live in
 * a VirtualGuest's spec, and which values each accepts on its own (before the other devices and the
 * machine type are taken into account, see {@link DeviceRules}).
 */
public enum DeviceProperty {
  MACHINE_TYPE("machineType", null),
  DISK_BUS("diskBus", DiskBus.class, "fdc"),
  CDROM_BUS("cdromBus", DiskBus.class, "virtio", "fdc"),
  FLOPPY_BUS("floppyBus", DiskBus.class, "virtio", "scsi", "sata", "ide", "usb"),
  RESCUE_BUS("rescueBus", DiskBus.class, "fdc"),
  INPUT_BUS("inputBus", InputBus.class),
  POINTER_MODEL("pointerModel", PointerModel.class),
  RNG_MODEL("rngModel", RngModel.class),
  SCSI_MODEL("scsiModel", ScsiModel.class),
  VIDEO_MODEL("videoModel", VideoModel.class),
  VIF_MODEL("vifModel", VifModel.class);

  private final String property;
  private final Class<? extends DeviceChoice> catalogue;
  private final List<String> excluded;

  DeviceProperty(String property, Class<? extends DeviceChoice> catalogue, String... excluded) {
    this.property = property;
    this.catalogue = catalogue;
    this.excluded = List.of(excluded);
  }

  /** The name in manifests, profiles and on the command line, e.g. {@code diskBus}. */
  public String property() {
    return property;
  }

  /** The field as Kubernetes messages spell it: {@code spec.machineType}, {@code spec.devices.diskBus}. */
  public String field() {
    return this == MACHINE_TYPE ? "spec.machineType" : "spec.devices." + property;
  }

  /** The JSON pointer of the field: {@code /spec/machineType}, {@code /spec/devices/diskBus}. */
  public String pointer() {
    return this == MACHINE_TYPE ? "/spec/machineType" : "/spec/devices/" + property;
  }

  /** Whether the value is free-form (a machine type) rather than from a closed catalogue. */
  public boolean freeForm() {
    return catalogue == null;
  }

  /** Values this property accepts on its own, in catalogue order; empty for the free-form machine type. */
  public List<String> allowedValues() {
    if (catalogue == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (DeviceChoice choice : catalogue.getEnumConstants()) {
      if (!excluded.contains(choice.value())) {
        values.add(choice.value());
      }
    }
    return values;
  }

  public static Optional<DeviceProperty> of(String property) {
    return Arrays.stream(values()).filter(p -> p.property.equals(property)).findFirst();
  }

  /** Every property name, in the order {@link DeviceChoices#PROPERTIES} lists them. */
  public static List<String> names() {
    return Arrays.stream(values()).map(DeviceProperty::property).toList();
  }
}
