package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.RenderedDomain;
import io.vguest.domain.VirtXmlValidate;
import io.vguest.guest.GuestStamper.Stamp;
import io.vguest.guest.RandomGuests.Generated;
import io.vguest.libvirt.DomainView;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.SyncFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A property of the whole pure pipeline, over guests from {@link RandomGuests}: every valid guest
 * stays valid when stamped, stamps once, builds, renders the same XML every time, passes libvirt's
 * domain schema (virt-xml-validate) and defines in libvirt's test driver with its stamped uuid and
 * render hash. The seed is fixed so a failure repeats; {@code -Dvguest.generated.seed=<n>} and
 * {@code -Dvguest.generated.count=<n>} explore further.
 */
class GeneratedGuestsTest {

  static final long SEED = Long.getLong("vguest.generated.seed", 20_241_122L);
  static final int COUNT = Integer.getInteger("vguest.generated.count", 150);

  static final GuestSettings SETTINGS = GuestSettings.defaults("property-seed").withAllowedPools(RandomGuests.POOLS);

  @TempDir Path dir;

  @Test
  void everyGeneratedGuestRendersSchemaValidXmlThatDefines() {
    RandomGuests generator = new RandomGuests(SEED);
    GuestValidator validator = new GuestValidator(SETTINGS.allowedPools());
    GuestStamper stamper = new GuestStamper(SETTINGS, TestGuests.NODE_A);
    DefinitionBuilder builder = new DefinitionBuilder(SETTINGS, TestGuests.NODE_A);
    DomainRenderer renderer = new DomainRenderer();
    try (LibvirtHypervisor libvirt = new LibvirtHypervisor(SyncFixtures.testNode(dir))) {
      for (int i = 0; i < COUNT; i++) {
        Generated generated = generator.next();
        VirtualGuest guest = generated.guest();
        String where = "guest " + i + " of seed " + SEED + ":\n" + yaml(generated);

        assertEquals(List.of(), validator.validate(guest), "the generator made an invalid guest, " + where);
        if (generated.profile() != null) {
          assertEquals(List.of(), validator.validate(generated.profile()), "invalid profile, " + where);
        }

        Stamp stamp = stamper.stamp(guest, generated.profile());
        VirtualGuest stamped = stamp.guest();
        assertEquals(List.of(), validator.validate(stamped), "stamping made a valid guest invalid, " + where);
        assertEquals(List.of(), stamper.stamp(stamped, generated.profile()).filled(), "stamped twice, " + where);

        GuestDefinition definition;
        try {
          definition = builder.build(stamped, TestGuests.POOL_DIRECTORIES);
        } catch (InvalidGuestException e) {
          fail("a valid stamped guest did not build (" + e.getMessage() + "), " + where);
          return;
        }
        RenderedDomain rendered = renderer.render(definition);
        assertEquals(rendered, renderer.render(builder.build(stamped, TestGuests.POOL_DIRECTORIES)), "rendering is not deterministic, " + where);

        VirtXmlValidate.assertValidDomain(rendered.xml(), "generated-" + i);

        DomainView domain;
        try {
          domain = libvirt.define(rendered.xml());
        } catch (RuntimeException e) {
          fail("libvirt's test driver refused the domain (" + e.getMessage() + "), " + where + "\n"
              + rendered.xml());
          return;
        }
        assertEquals(stamped.getSpec().firmware.uuid.toLowerCase(Locale.ROOT), domain.uuid(), where);
        assertEquals(rendered.hash(), GuestMetadata.parse(domain.vguestMetadataXml().orElseThrow()).renderHash(),
            where);
        assertTrue(libvirt.undefine(definition.domainName()), where);
      }
    }
  }

  @Test
  void otherFamilyOnQ35StaysValidWhenStamped() {
    VirtualGuest guest = TestGuests.guest("""
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: legacy-1, namespace: demo}
        spec:
          nodeName: node-a
          osFamily: other
          machineType: q35
          resources: {cpus: 1, memory: 1Gi}
          disks:
            - name: root
              role: root
              source: {volume: {pool: default, name: legacy-1-root.qcow2}}
            - name: install
              role: cdrom
        """);
    GuestValidator validator = new GuestValidator(SETTINGS.allowedPools());
    assertEquals(List.of(), validator.validate(guest));
    VirtualGuest stamped = new GuestStamper(SETTINGS, TestGuests.NODE_A).stamp(guest, null).guest();
    assertEquals(List.of(), validator.validate(stamped));
    String xml = new DomainRenderer().render(new DefinitionBuilder(SETTINGS, TestGuests.NODE_A).build(stamped, TestGuests.POOL_DIRECTORIES)).xml();
    VirtXmlValidate.assertValidDomain(xml, "other-on-q35");
  }

  private static String yaml(Generated generated) {
    try {
      return TestGuests.YAML.writeValueAsString(generated.guest())
          + (generated.profile() == null ? "" : "---\n" + TestGuests.YAML.writeValueAsString(generated.profile()));
    } catch (Exception e) {
      return String.valueOf(generated.guest());
    }
  }
}
