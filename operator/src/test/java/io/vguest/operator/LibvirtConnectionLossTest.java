package io.vguest.operator;

import static io.vguest.operator.FaultCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.LibvirtFaults;
import io.vguest.operator.FaultCluster.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libvirt goes away while the agent is defining a batch of guests. A test-driver node is read
 * afresh when the connection is re-established, so every domain is gone afterwards, as after a
 * libvirtd restart that lost its state: the agent defines them all again, with the identity
 * stamped before, and never defines a domain that already has its definition.
 */
class LibvirtConnectionLossTest {

  static final int GUESTS = 24;

  @TempDir Path dir;
  FaultCluster cluster;
  Node a;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new FaultCluster(dir);
    a = cluster.node("node-a", "node-a").start();
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private static String name(int i) {
    return "vm-" + i;
  }

  @Test
  void connectionLostMidBatchEveryGuestConvergesWithItsIdentityAndNoDoubleDefinition() {
    IntStream.range(0, GUESTS).forEach(i -> cluster.create(FaultCluster.guest(name(i), "node-a")));
    eventually("a third of the batch defined", () -> a.hypervisor.definesTotal() >= GUESTS / 3);
    int beforeLoss = a.hypervisor.definesTotal();

    LibvirtFaults.dropConnection(a.libvirt);

    eventually("every guest Ready again and its domain running", () -> IntStream.range(0, GUESTS).allMatch(i ->
        FaultCluster.ready(cluster.get("demo", name(i)))
            && a.libvirt.lookup("demo_" + name(i)).map(d -> d.state() == DomainState.RUNNING).orElse(false)));

    List<String> problems = new ArrayList<>();
    Map<String, Integer> defines = new LinkedHashMap<>();
    for (int i = 0; i < GUESTS; i++) {
      VirtualGuest guest = cluster.get("demo", name(i));
      DomainView domain = a.libvirt.lookup("demo_" + name(i)).orElseThrow();
      if (!guest.getSpec().firmware.uuid.equals(domain.uuid())) {
        problems.add(name(i) + ": domain uuid " + domain.uuid() + " is not the stamped " + guest.getSpec().firmware.uuid);
      }
      if (!guest.getSpec().firmware.serial.equals(guest.getStatus().serial)) {
        problems.add(name(i) + ": serial " + guest.getStatus().serial + " is not the stamped "
            + guest.getSpec().firmware.serial);
      }
      if (cluster.appliedGuestPatches(name(i)) != 1) {
        problems.add(name(i) + ": stamped " + cluster.appliedGuestPatches(name(i)) + " times");
      }
      defines.put(name(i), a.hypervisor.defines("demo_" + name(i)));
    }
    assertEquals(List.of(), problems, "identity kept through the loss");
    assertEquals(List.of(), a.hypervisor.doubleDefinitions(), "no domain defined again with the definition it had");
    assertTrue(defines.values().stream().allMatch(n -> n == 1 || n == 2),
        "each guest defined once, or once more after its domain was lost: " + defines);
    assertTrue(beforeLoss < a.hypervisor.definesTotal(), "the lost domains were defined again");
  }
}
