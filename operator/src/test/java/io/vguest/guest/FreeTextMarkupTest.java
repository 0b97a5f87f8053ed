package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.VirtXmlValidate;
import java.io.StringReader;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * XML injection in the free-text fields (displayName, firmware.serial, kernelBoot.cmdline), which
 * may hold any printable text: the markup arrives in the domain XML as text, escaped, adds no
 * element, and reads back unchanged. Every other string field refuses markup (bad-manifests/).
 */
class FreeTextMarkupTest {

  @Test
  void markupInFreeTextStaysText() throws Exception {
    Path file = Path.of(getClass().getResource("/good-manifests/markup-in-free-text.yaml").toURI());
    VirtualGuest guest = new ManifestReader().read(file).guests().get(0);
    GuestSettings settings = GuestSettings.defaults("seed").withAllowedPools(BadManifestCorpusTest.ALLOWED_POOLS);
    VirtualGuest stamped = new GuestStamper(settings, TestGuests.NODE_A).stamp(guest, null).guest();
    String xml = new DomainRenderer().render(new DefinitionBuilder(settings, TestGuests.NODE_A)
        .build(stamped, (pool, volume) -> java.util.Optional.of("/var/lib/vguest/" + pool + "/" + volume))).xml();

    VirtXmlValidate.assertValidDomain(xml, "markup-in-free-text");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document dom = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    assertEquals(1, dom.getElementsByTagName("disk").getLength(), "only the root disk:\n" + xml);
    assertEquals(0, dom.getElementsByTagName("initrd").getLength(), xml);
    assertEquals(1, dom.getElementsByTagName("cmdline").getLength(), xml);
    assertEquals(guest.getSpec().kernelBoot.cmdline, dom.getElementsByTagName("cmdline").item(0).getTextContent());
    assertEquals(guest.getSpec().displayName, GuestMetadata.parse(xml).displayName());
    assertEquals(guest.getSpec().firmware.serial, GuestMetadata.parse(xml).identity().serial());
  }
}
