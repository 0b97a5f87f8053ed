package io.vguest.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostSerialSourceTest {

  private static final String MACHINE_ID = "0123456789abcdef0123456789abcdef\n";
  private static final String AS_UUID = "01234567-89ab-cdef-0123-456789abcdef";
  private static final String HOST_UUID = "4c4c4544-0042-3510-8052-b4c04f4e4431";

  @Test
  void osReadsTheMachineIdOnly() {
    assertEquals(Optional.of(AS_UUID), HostSerialSource.OS.serial(MACHINE_ID, HOST_UUID));
    assertEquals(Optional.empty(), HostSerialSource.OS.serial("garbage", HOST_UUID));
  }

  @Test
  void hardwareReadsTheHostUuidOnly() {
    assertEquals(Optional.of(HOST_UUID), HostSerialSource.HARDWARE.serial(MACHINE_ID, HOST_UUID));
    assertEquals(Optional.empty(), HostSerialSource.HARDWARE.serial(MACHINE_ID, " "));
  }

  @Test
  void autoPrefersTheMachineIdAndFallsBackToTheHostUuid() {
    assertEquals(Optional.of(AS_UUID), HostSerialSource.AUTO.serial(MACHINE_ID, HOST_UUID));
    assertEquals(Optional.of(HOST_UUID), HostSerialSource.AUTO.serial(null, HOST_UUID));
    assertEquals(Optional.empty(), HostSerialSource.AUTO.serial(null, null));
  }

  @Test
  void theSystemSerialFollowsThePolicy() {
    assertEquals(new SystemSerial("S-1", null, null),
        SystemSerial.choose(SerialPolicy.UNIQUE, "S-1", HOST_UUID, "node-a", false));
    assertEquals(new SystemSerial("S-1", HOST_UUID, null),
        SystemSerial.choose(SerialPolicy.UNIQUE, "S-1", HOST_UUID, "node-a", true));
    assertEquals(new SystemSerial(HOST_UUID, null, null),
        SystemSerial.choose(SerialPolicy.HOST, "S-1", HOST_UUID, "node-a", true));
    assertEquals(new SystemSerial(null, null, null),
        SystemSerial.choose(SerialPolicy.NONE, "S-1", HOST_UUID, "node-a", true));
    assertEquals("spec.firmware.serial: not stamped yet",
        SystemSerial.choose(SerialPolicy.UNIQUE, null, HOST_UUID, "node-a", false).problem());
    assertEquals("spec.firmware.serialPolicy: host, but node node-a has no readable serial (machine-id missing or "
        + "malformed and no host uuid); use unique or fix the node",
        SystemSerial.choose(SerialPolicy.HOST, "S-1", null, "node-a", false).problem());
  }
}
