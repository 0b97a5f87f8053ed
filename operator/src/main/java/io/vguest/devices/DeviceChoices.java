package io.vguest.devices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The eleven device properties of a guest, each possibly unset (null). Resolution layers several
 * of these, most specific first, with {@link #orElse}.
 */
public record DeviceChoices(
    String machineType,
    DiskBus diskBus,
    DiskBus cdromBus,
    DiskBus floppyBus,
    DiskBus rescueBus,
    InputBus inputBus,
    PointerModel pointerModel,
    RngModel rngModel,
    ScsiModel scsiModel,
    VideoModel videoModel,
    VifModel vifModel) {

  public static final DeviceChoices NONE =
      new DeviceChoices(null, null, null, null, null, null, null, null, null, null, null);

  /** Property names in the order documentation and the CLI list them. */
  public static final List<String> PROPERTIES = List.of("machineType", "diskBus", "cdromBus", "floppyBus",
      "rescueBus", "inputBus", "pointerModel", "rngModel", "scsiModel", "videoModel", "vifModel");

  /** Each unset property taken from {@code fallback}. */
  public DeviceChoices orElse(DeviceChoices fallback) {
    return new DeviceChoices(
        pick(machineType, fallback.machineType),
        pick(diskBus, fallback.diskBus),
        pick(cdromBus, fallback.cdromBus),
        pick(floppyBus, fallback.floppyBus),
        pick(rescueBus, fallback.rescueBus),
        pick(inputBus, fallback.inputBus),
        pick(pointerModel, fallback.pointerModel),
        pick(rngModel, fallback.rngModel),
        pick(scsiModel, fallback.scsiModel),
        pick(videoModel, fallback.videoModel),
        pick(vifModel, fallback.vifModel));
  }

  public DeviceChoices withMachineType(String machineType) {
    return new DeviceChoices(machineType, diskBus, cdromBus, floppyBus, rescueBus, inputBus, pointerModel,
        rngModel, scsiModel, videoModel, vifModel);
  }

  /** The bus a drive of {@code role} takes when it sets none itself ({@link DiskRole#defaultBusProperty()}). */
  public DiskBus busFor(DiskRole role) {
    return switch (role.kind()) {
      case CDROM -> cdromBus;
      case FLOPPY -> floppyBus;
      case DISK -> diskBus;
    };
  }

  /** Property name to its manifest spelling, unset properties omitted, in {@link #PROPERTIES} order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    Object[] values = {machineType, diskBus, cdromBus, floppyBus, rescueBus, inputBus, pointerModel, rngModel,
        scsiModel, videoModel, vifModel};
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        map.put(PROPERTIES.get(i), values[i] instanceof DeviceChoice c ? c.value() : values[i].toString());
      }
    }
    return map;
  }

  /** The inverse of {@link #asMap}; unknown names or values fail with the allowed ones. */
  public static DeviceChoices fromMap(Map<String, String> map) {
    Function<String, String> get = map::get;
    return new DeviceChoices(
        get.apply("machineType"),
        parse(DiskBus.class, get.apply("diskBus")),
        parse(DiskBus.class, get.apply("cdromBus")),
        parse(DiskBus.class, get.apply("floppyBus")),
        parse(DiskBus.class, get.apply("rescueBus")),
        parse(InputBus.class, get.apply("inputBus")),
        parse(PointerModel.class, get.apply("pointerModel")),
        parse(RngModel.class, get.apply("rngModel")),
        parse(ScsiModel.class, get.apply("scsiModel")),
        parse(VideoModel.class, get.apply("videoModel")),
        parse(VifModel.class, get.apply("vifModel")));
  }

  /** Names of properties still unset. */
  public List<String> unset() {
    List<String> unset = new ArrayList<>(PROPERTIES);
    unset.removeAll(asMap().keySet());
    return unset;
  }

  public boolean complete() {
    return unset().isEmpty();
  }

  private static <T> T pick(T own, T fallback) {
    return own != null ? own : fallback;
  }

  private static <E extends Enum<E> & DeviceChoice> E parse(Class<E> type, String value) {
    return value == null ? null : DeviceChoice.parse(type, value);
  }
}
