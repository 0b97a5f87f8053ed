package io.vguest.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.devices.DiskRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceIdentitiesTest {

  @Test
  void fillsOnlyDevicesWithoutAValueAndNamesEachFilled() {
    List<String> filled = new ArrayList<>();
    Map<String, String> values = DeviceIdentities.fill(Map.of("root", "KEPT"), List.of("root", "data"),
        disk -> "NEW-" + disk, "/spec/identity/diskSerials", filled);
    assertEquals(Map.of("root", "KEPT", "data", "NEW-data"), values);
    assertEquals(List.of("/spec/identity/diskSerials/data"), filled);
  }

  @Test
  void nothingToFillLeavesAnAbsentMapAbsent() {
    List<String> filled = new ArrayList<>();
    assertNull(DeviceIdentities.fill(null, List.of(), d -> "x", "/p", filled));
    assertEquals(Map.of(), DeviceIdentities.fill(Map.of(), List.of(), d -> "x", "/p", filled));
    assertEquals(List.of(), filled);
  }

  @Test
  void restoresRecordedValuesOfDevicesThatLostThem() {
    List<String> restored = new ArrayList<>();
    Map<String, String> values = DeviceIdentities.restore(null, List.of("root", "data", "scratch"),
        Map.of("root", "R", "scratch", "S", "gone", "G"), "/spec/identity/diskSerials", restored);
    assertEquals(Map.of("root", "R", "scratch", "S"), values);
    assertEquals(List.of("/spec/identity/diskSerials/root", "/spec/identity/diskSerials/scratch"), restored);
  }

  @Test
  void floppiesExternalVolumesAndOwnSerialsGetNoGeneratedSerial() {
    assertTrue(DeviceIdentities.needsGeneratedSerial(false, DiskRole.DATA, false));
    assertTrue(DeviceIdentities.needsGeneratedSerial(false, DiskRole.CDROM, false));
    assertFalse(DeviceIdentities.needsGeneratedSerial(true, DiskRole.DATA, false));
    assertFalse(DeviceIdentities.needsGeneratedSerial(false, DiskRole.FLOPPY, false));
    assertFalse(DeviceIdentities.needsGeneratedSerial(false, DiskRole.ROOT, true));
  }
}
