package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DiskBus;
import io.vguest.devices.VifModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 6: a guest with the Windows-style profile sees sata disks and an e1000e NIC. */
@ExtendWith(E2eEnvironment.class)
class WindowsProfileScenarioTest {

  @Test
  void windowsStyleProfileGivesSataDisksAndAnE1000eNic(E2eCluster cluster, E2eEnvironment.Setup setup) {
    setup.createDisk("erp-1-root.raw");
    setup.createDisk("erp-1-data.raw");
    cluster.applyProfile(Guests.WINDOWS_PROFILE);

    VirtualGuest guest = cluster.apply(Guests.windowsStyle("erp-1", "a"));

    assertEquals(List.of(DiskBus.SATA, VifModel.E1000E), List.of(guest.getSpec().devices.diskBus,
        guest.getSpec().devices.vifModel), "stamped from the profile");
    GuestReport report = cluster.node("a").awaitReport(guest);
    assertGuestSees(guest, report, "a");
    assertEquals(List.of("sata", "sata"), report.disks().values().stream().map(GuestReport.GuestDisk::bus).toList());
    assertEquals(List.of("ahci", "ahci"), report.disks().values().stream().map(GuestReport.GuestDisk::hostDriver)
        .toList());
    assertEquals(List.of("e1000e"), report.nics().values().stream().map(GuestReport.GuestNic::driver).toList());
  }
}
