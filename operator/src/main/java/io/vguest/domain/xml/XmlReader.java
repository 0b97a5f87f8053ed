package io.vguest.domain.xml;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** Parses XML that comes back from libvirt, namespace-aware and with no DTDs or entity expansion. */
public final class XmlReader {

  private XmlReader() {}

  /** The document element; {@code what} names the document in the error, e.g. "domain XML". */
  public static Element parse(String xml, String what) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException("unreadable " + what + ": " + e.getMessage(), e);
    }
  }
}
