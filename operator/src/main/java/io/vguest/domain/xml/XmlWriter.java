package io.vguest.domain.xml;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal, deterministic XML writer: two-space indentation, attributes in the order given,
 * every value escaped. Tab, line feed and carriage return are kept (as character references where
 * a parser would change them); characters XML 1.0 cannot carry (other control characters, lone
 * surrogates) are refused rather than dropped, so a bad value never silently changes meaning.
 */
public final class XmlWriter {

  private final StringBuilder out = new StringBuilder();
  private final Deque<String> open = new ArrayDeque<>();

  /** Opens an element; {@code attributes} alternate name and value, null values are skipped. */
  public XmlWriter start(String name, Object... attributes) {
    indent();
    out.append('<').append(name);
    attributes(attributes);
    out.append(">\n");
    open.push(name);
    return this;
  }

  public XmlWriter end() {
    String name = open.pop();
    indent();
    out.append("</").append(name).append(">\n");
    return this;
  }

  /** An element without content. */
  public XmlWriter empty(String name, Object... attributes) {
    indent();
    out.append('<').append(name);
    attributes(attributes);
    out.append("/>\n");
    return this;
  }

  /** An element holding text; nothing is written when {@code text} is null. */
  public XmlWriter text(String name, Object text, Object... attributes) {
    if (text == null) {
      return this;
    }
    indent();
    out.append('<').append(name);
    attributes(attributes);
    out.append('>');
    escape(text.toString(), false);
    out.append("</").append(name).append(">\n");
    return this;
  }

  public String toXml() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements: " + open);
    }
    return out.toString();
  }

  private void attributes(Object[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes must come in name/value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        out.append(' ').append(attributes[i]).append("='");
        escape(attributes[i + 1].toString(), true);
        out.append('\'');
      }
    }
  }

  private void indent() {
    out.append("  ".repeat(open.size()));
  }

  private void escape(String value, boolean attribute) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      checkAllowed(value, i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\'' -> out.append(attribute ? "&apos;" : "'");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        // A parser turns tab and line feed in an attribute, and carriage return anywhere, into
        // something else (a space, a line feed); character references keep them as they are.
        case '\t' -> out.append(attribute ? "&#9;" : "\t");
        case '\n' -> out.append(attribute ? "&#10;" : "\n");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }

  /** Whether a string can be written as XML 1.0 text without loss. */
  public static boolean isWritable(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (problemAt(value, i) != null) {
        return false;
      }
    }
    return true;
  }

  private static void checkAllowed(String value, int index) {
    String problem = problemAt(value, index);
    if (problem != null) {
      throw new IllegalArgumentException(problem + " at position " + index + " of a value; refused");
    }
  }

  private static String problemAt(String value, int i) {
    return XmlChars.problemAt(value, i, true);
  }
}
