package io.vguest.domain.xml;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** Parses XML that comes back from libvirt, namespace-aware and with no DTDs or entity expansion. */
public final class XmlReader {

  /**
   * One configured parser per thread: looking up and configuring a parser factory costs more than
   * parsing a domain XML (it searches the class path), and a parser may serve one thread at a time.
   */
  private static final ThreadLocal<DocumentBuilder> PARSER = ThreadLocal.withInitial(XmlReader::newParser);

  private XmlReader() {}

  /** The document element; {@code what} names the document in the error, e.g. "domain XML". */
  public static Element parse(String xml, String what) {
    DocumentBuilder parser = PARSER.get();
    try {
      return parser.parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException("unreadable " + what + ": " + e.getMessage(), e);
    } finally {
      parser.reset();
    }
  }

  private static DocumentBuilder newParser() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      return factory.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("no XML parser with secure processing: " + e.getMessage(), e);
    }
  }
}
