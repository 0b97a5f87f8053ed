package io.vguest.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MachineIdTest {

  @ParameterizedTest
  @CsvSource({
      "0123456789abcdef0123456789abcdef, 01234567-89ab-cdef-0123-456789abcdef",
      "0123456789ABCDEF0123456789ABCDEF, 01234567-89ab-cdef-0123-456789abcdef",
  })
  void wellFormedIdIsRedashed(String content, String uuid) {
    assertEquals(Optional.of(uuid), MachineId.toUuid(content));
  }

  @org.junit.jupiter.api.Test
  void trailingNewlineIsAccepted() {
    assertEquals(Optional.of("01234567-89ab-cdef-0123-456789abcdef"),
        MachineId.toUuid("0123456789abcdef0123456789abcdef\n"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   \n", "uninitialized\n", "0123456789abcdef", "0123456789abcdef0123456789abcdeg",
      "01234567-89ab-cdef-0123-456789abcdef", "00000000000000000000000000000000",
      "0123456789abcdef0123456789abcdef00"})
  void missingEmptyOrMalformedIdGivesNothing(String content) {
    assertEquals(Optional.empty(), MachineId.toUuid(content));
  }
}
