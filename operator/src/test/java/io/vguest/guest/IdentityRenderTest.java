package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.VirtXmlValidate;
import io.vguest.domain.xml.XmlReader;
import io.vguest.identity.IdentityGenerator;
import java.util.Map;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;

/** The generation ID and disk WWNs from a stamped spec to the domain XML and its metadata. */
class IdentityRenderTest {

  static final String DB = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: db-1, namespace: demo}
      spec:
        nodeName: node-a
        resources: {cpus: 1, memory: 1Gi}
        devices: {diskBus: scsi}
        disks:
          - name: root
            role: root
            source: {volume: {pool: default, name: db-1-root.qcow2}}
          - name: quorum
            role: data
            wwn: 6000C50015EA71AC
            source: {volume: {pool: default, name: db-1-quorum.qcow2}}
          - name: logs
            role: data
            bus: virtio
            source: {volume: {pool: default, name: db-1-logs.qcow2}}
          - name: media
            role: cdrom
            bus: sata
      """;

  private final IdentityGenerator generator = new IdentityGenerator("test-seed");

  private String render(VirtualGuest guest) {
    VirtualGuest stamped = new GuestStamper(TestGuests.SETTINGS, TestGuests.NODE_A).stamp(guest, null).guest();
    return new DomainRenderer().render(new DefinitionBuilder(TestGuests.SETTINGS, TestGuests.NODE_A).build(stamped))
        .xml();
  }

  private static String xpath(String xml, String expression) throws Exception {
    XPath xpath = XPathFactory.newInstance().newXPath();
    return xpath.evaluate(expression, XmlReader.parse(xml, "domain"));
  }

  @Test
  void theDomainCarriesTheGenerationIdAndAWwnForEachScsiDrive() throws Exception {
    String xml = render(TestGuests.guest(DB));
    assertEquals(generator.generationId("demo", "db-1", 0), xpath(xml, "/domain/genid"));
    assertEquals(generator.diskWwn("demo", "db-1", "root"), xpath(xml, "/domain/devices/disk[serial]"
        + "[target/@dev='sda']/wwn"));
    assertEquals("6000c50015ea71ac", xpath(xml, "/domain/devices/disk[target/@dev='sdb']/wwn"), "the disk's own");
    assertEquals("0", xpath(xml, "count(/domain/devices/disk[target/@bus='virtio']/wwn)"), "virtio shows none");
    assertEquals("0", xpath(xml, "count(/domain/devices/disk[target/@bus='sata']/wwn)"),
        "libvirt refuses a wwn on sata");
    VirtXmlValidate.assertValidDomain(xml, "identity-genid-wwn");
  }

  @Test
  void theMetadataRecordsThemForARestoreAfterAReplace() {
    GuestMetadata metadata = GuestMetadata.parse(render(TestGuests.guest(DB)));
    assertEquals(generator.generationId("demo", "db-1", 0), metadata.identity().generationId());
    assertEquals(0, metadata.identity().generationIdFor());
    assertEquals(Map.of("root", generator.diskWwn("demo", "db-1", "root")), metadata.identity().diskWwns());
  }

  @Test
  void aDeclaredRestoreChangesTheRenderedGenerationIdOnly() throws Exception {
    String before = render(TestGuests.guest(DB));
    VirtualGuest stamped = new GuestStamper(TestGuests.SETTINGS, TestGuests.NODE_A).stamp(TestGuests.guest(DB), null)
        .guest();
    stamped.getSpec().identity.restoreGeneration = 1;
    String after = render(IdentityRenewal.renewable(stamped));
    assertEquals(generator.generationId("demo", "db-1", 1), xpath(after, "/domain/genid"));
    assertEquals(xpath(before, "/domain/uuid"), xpath(after, "/domain/uuid"));
    assertEquals(xpath(before, "/domain/devices/disk[1]/wwn"), xpath(after, "/domain/devices/disk[1]/wwn"));
    assertEquals(xpath(before, "/domain/sysinfo"), xpath(after, "/domain/sysinfo"));
  }
}
