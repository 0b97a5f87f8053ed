package io.vguest.libvirt;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * The adapter's few reads of libvirt's own XML (a pool's type and directory, the host uuid) and
 * the escaping of the one piece of XML it writes itself (a blank volume's). Domain XML is rendered
 * and parsed outside the adapter.
 */
final class LibvirtXml {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtXml.class);

  private LibvirtXml() {}

  /** The string value of an XPath expression in {@code xml}; null when the XML is unreadable. */
  static String xpath(String xml, String expression) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
      return XPathFactory.newInstance().newXPath().evaluate(expression, doc);
    } catch (Exception e) {
      LOG.debug("cannot read {} from libvirt XML: {}", expression, e.getMessage());
      return null;
    }
  }

  /** {@code s} escaped for an XML attribute or element. */
  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;")
        .replace("\"", "&quot;");
  }
}
