package io.vguest.devices;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A value from one of the closed device catalogues, as spelled in manifests and in libvirt XML. */
public interface DeviceChoice {

  String value();

  /** Every value of a catalogue, in declaration order, as users write them. */
  static <E extends Enum<E> & DeviceChoice> List<String> allowedValues(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(DeviceChoice::value).collect(Collectors.toList());
  }

  /** Looks a value up by its manifest spelling; the error lists what is allowed. */
  static <E extends Enum<E> & DeviceChoice> E parse(Class<E> type, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.value().equals(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported value: \"" + value + "\": supported values: " + String.join(", ", allowedValues(type)));
  }
}
