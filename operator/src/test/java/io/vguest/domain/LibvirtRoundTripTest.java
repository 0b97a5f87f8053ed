package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Defines each golden file in libvirt's in-process test driver and reads it back: libvirt silently
 * drops what it does not understand (unknown sysinfo entries, un-namespaced metadata), so the
 * identity must be checked in what libvirt returns, not in what was sent. Each domain is undefined
 * afterwards; a leftover of the same name or uuid (from an aborted run in this JVM) is removed first.
 */
class LibvirtRoundTripTest {

  /** VIR_DOMAIN_METADATA_ELEMENT: the element of one private namespace. */
  static final int METADATA_ELEMENT = 2;
  static final int AFFECT_CURRENT = 0;

  /**
   * libvirt keeps only a native pointer to its process-wide error callback: the Java object must stay
   * reachable for the life of the JVM, or the next libvirt error jumps into freed memory.
   */
  private static final ErrorCallback QUIET_ERRORS = new ErrorCallback();

  private static Connect libvirt;

  @BeforeAll
  static void connect() throws LibvirtException {
    Connect.setErrorCallback(QUIET_ERRORS);
    libvirt = new Connect("test:///default");
  }

  @AfterAll
  static void close() throws LibvirtException {
    if (libvirt != null) {
      libvirt.close();
    }
  }

  static Stream<Arguments> scenarios() {
    return GuestDefinitions.goldenScenarios().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void definedDomainKeepsItsIdentity(String file, GuestDefinition guest) throws Exception {
    String xml = GoldenFiles.read(file);
    GuestMetadata rendered = GuestMetadata.parse(xml);
    removeLeftover(guest.domainName(), guest.uuid());

    Domain domain = libvirt.domainDefineXML(xml);
    try {
      String readBack = domain.getXMLDesc(0);
      Document doc = parse(readBack);

      assertEquals(guest.uuid(), text(doc, "/domain/uuid"), file + ": uuid");
      assertEquals(guest.uuid(), text(doc, "/domain/sysinfo/system/entry[@name='uuid']"), file + ": sysinfo uuid");
      assertEquals(guest.smbios().serial(), text(doc, "/domain/sysinfo/system/entry[@name='serial']"),
          file + ": sysinfo system serial");
      assertEquals(guest.smbios().chassisSerial(), text(doc, "/domain/sysinfo/chassis/entry[@name='serial']"),
          file + ": chassis serial");
      assertEquals(guest.smbios().oemStrings(), texts(doc, "/domain/sysinfo/oemStrings/entry"), file + ": OEM strings");
      assertEquals(expectedDiskSerials(guest), diskSerials(doc), file + ": disk serials by target");

      NodeList elements = doc.getElementsByTagNameNS(GuestMetadata.NAMESPACE, GuestMetadata.ROOT_ELEMENT);
      assertEquals(1, elements.getLength(), file + ": one vguest element in " + GuestMetadata.NAMESPACE);
      assertEquals("metadata", elements.item(0).getParentNode().getLocalName(), file + ": under <metadata>");
      assertNotNull(rendered.renderHash(), file + ": golden file carries its render hash");
      assertEquals(rendered, GuestMetadata.parse(readBack), file + ": metadata in the domain XML");
      String element = domain.getMetadata(METADATA_ELEMENT, GuestMetadata.NAMESPACE, AFFECT_CURRENT);
      assertEquals(rendered, GuestMetadata.parse(element), file + ": metadata read by namespace");
    } finally {
      try {
        domain.undefine();
      } finally {
        domain.free();
      }
    }
  }

  /** Target device to the serial the definition gives it (null for none), as the renderer names targets. */
  private static Map<String, String> expectedDiskSerials(GuestDefinition guest) {
    Map<String, String> expected = new LinkedHashMap<>();
    DomainRenderer.disks(DomainRenderer.attached(guest)).forEach(d -> expected.put(d.targetDev(), d.serial()));
    return expected;
  }

  private static Map<String, String> diskSerials(Document doc) throws Exception {
    Map<String, String> serials = new LinkedHashMap<>();
    NodeList disks = (NodeList) xpath().evaluate("/domain/devices/disk", doc, XPathConstants.NODESET);
    for (int i = 0; i < disks.getLength(); i++) {
      Node disk = disks.item(i);
      String target = ((Element) xpath().evaluate("target", disk, XPathConstants.NODE)).getAttribute("dev");
      Node serial = (Node) xpath().evaluate("serial", disk, XPathConstants.NODE);
      serials.put(target, serial == null ? null : serial.getTextContent());
    }
    return serials;
  }

  private static void removeLeftover(String name, String uuid) {
    for (Lookup lookup : List.<Lookup>of(() -> libvirt.domainLookupByName(name),
        () -> libvirt.domainLookupByUUIDString(uuid))) {
      Domain leftover;
      try {
        leftover = lookup.find();
      } catch (LibvirtException notFound) {
        continue;
      }
      try {
        leftover.undefine();
      } catch (LibvirtException e) {
        throw new IllegalStateException("cannot remove leftover domain " + name + " / " + uuid, e);
      } finally {
        try {
          leftover.free();
        } catch (LibvirtException ignored) {
          // freeing a handle cannot usefully fail the test
        }
      }
    }
  }

  private interface Lookup {
    Domain find() throws LibvirtException;
  }

  private static String text(Document doc, String path) throws Exception {
    Node node = (Node) xpath().evaluate(path, doc, XPathConstants.NODE);
    return node == null ? null : node.getTextContent();
  }

  private static List<String> texts(Document doc, String path) throws Exception {
    NodeList nodes = (NodeList) xpath().evaluate(path, doc, XPathConstants.NODESET);
    return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> nodes.item(i).getTextContent())
        .toList();
  }

  private static XPath xpath() {
    return XPathFactory.newInstance().newXPath();
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }
}
