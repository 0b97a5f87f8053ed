package io.vguest.e2e;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The install tier: the shipped install run for real, on a real single-node cluster with the
 * project's image and a private libvirtd with QEMU as the node's libvirt ({@link InstallTier},
 * started once for all steps). The steps run in this order, each group in a class of its own:
 *
 * <ol>
 *   <li>{@link ChartInstallSteps}: docs/install.md's steps as written (node label, namespace,
 *       `helm install`, rollout, seed backup, the first guest), then every example guest of
 *       examples/ applied with kubectl and Running: the Linux one's console reports the identity its
 *       status promises, the Windows one's domain holds it (no OS to report from);
 *   <li>{@link AgentLifecycleSteps}: the agent pod deleted, libvirtd away for longer than the
 *       liveness window, the guide's CRD update and `helm upgrade` to a new image tag, `helm
 *       uninstall`: the guests keep running, untouched;
 *   <li>{@link PlainManifestsSteps}: deploy/ applied with `kubectl apply -k`: a Ready agent within
 *       30 s with the default libvirt URI, the guests adopted untouched; the opt-in scale run.
 * </ol>
 */
@Isolated
@ExtendWith(InstallTier.Extension.class)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class InstallTierTest {

  @Nested
  @Order(1)
  class ChartInstall extends ChartInstallSteps {}

  @Nested
  @Order(2)
  class AgentLifecycle extends AgentLifecycleSteps {}

  @Nested
  @Order(3)
  class PlainManifests extends PlainManifestsSteps {}
}
