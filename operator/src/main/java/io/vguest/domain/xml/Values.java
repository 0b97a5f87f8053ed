package io.vguest.domain.xml;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads an XML attribute value into one of a closed set of typed values. */
final class Values {

  private Values() {}

  /** @throws IllegalArgumentException naming {@code what}, the value and the values allowed */
  static <E extends Enum<E>> E of(Class<E> type, String value, Function<E, String> xml, String what) {
    for (E e : type.getEnumConstants()) {
      if (xml.apply(e).equals(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(what + " \"" + value + "\": supported values: "
        + Arrays.stream(type.getEnumConstants()).map(xml).collect(Collectors.joining(", ")));
  }
}
