package io.vguest.domain.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A parsed element as the model's records read it: its attributes, its text and its child
 * elements in its own namespace (libvirt's elements have none; vguest's metadata has its own), so
 * each record reads the same names it writes and ignores what libvirt adds around them.
 */
public final class XmlElement {

  private final Element element;

  private XmlElement(Element element) {
    this.element = Objects.requireNonNull(element, "element");
  }

  /** The document element; {@code what} names the document in the error, e.g. "domain XML". */
  public static XmlElement parse(String xml, String what) {
    return new XmlElement(XmlReader.parse(xml, what));
  }

  public String name() {
    return element.getLocalName();
  }

  /** The namespace URI, or null for libvirt's own elements. */
  public String namespace() {
    return element.getNamespaceURI();
  }

  /** The attribute's value, or null when the element has no such attribute. */
  public String attr(String name) {
    return element.hasAttribute(name) ? element.getAttribute(name) : null;
  }

  /** The attribute read as {@code type}, or null when absent. */
  public <T> T attr(String name, Function<String, T> type) {
    String value = attr(name);
    return value == null ? null : type.apply(value);
  }

  /** The attribute names and values in document order (the parser's order for attributes). */
  public java.util.Map<String, String> attributes() {
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < element.getAttributes().getLength(); i++) {
      Node a = element.getAttributes().item(i);
      if (!a.getNodeName().startsWith("xmlns")) {
        map.put(a.getNodeName(), a.getNodeValue());
      }
    }
    return map;
  }

  /** The text content as written (not trimmed: free text keeps its spaces). */
  public String text() {
    return element.getTextContent();
  }

  /** The text of the first child element called {@code name}, or null when there is none. */
  public String childText(String name) {
    XmlElement child = child(name);
    return child == null ? null : child.text();
  }

  /** The first child element called {@code name} in this element's namespace, or null. */
  public XmlElement child(String name) {
    for (XmlElement child : children()) {
      if (child.name().equals(name)) {
        return child;
      }
    }
    return null;
  }

  /** The child elements called {@code name} in this element's namespace, in document order. */
  public List<XmlElement> children(String name) {
    return children().stream().filter(c -> c.name().equals(name)).toList();
  }

  /** The child elements in this element's namespace, in document order. */
  public List<XmlElement> children() {
    List<XmlElement> children = new ArrayList<>();
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && Objects.equals(e.getNamespaceURI(), element.getNamespaceURI())) {
        children.add(new XmlElement(e));
      }
    }
    return children;
  }

  /** The first element called {@code name} in {@code namespace} at or below this one, or null. */
  public XmlElement find(String namespace, String name) {
    return find(element, namespace, name);
  }

  private static XmlElement find(Element element, String namespace, String name) {
    if (Objects.equals(namespace, element.getNamespaceURI()) && name.equals(element.getLocalName())) {
      return new XmlElement(element);
    }
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        XmlElement found = find(child, namespace, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "<" + name() + ">";
  }
}
