package io.vguest.domain.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class XmlWriterTest {

  private static Element parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
  }

  @Test
  void tabsAndLineBreaksSurviveAParserInTextAndAttributes() throws Exception {
    String value = "two\nlines\tand\r\na <tag> & 'quotes' \"too\"";
    String xml = new XmlWriter().text("title", value, "note", value).toXml();

    Element parsed = parse(xml);
    assertEquals(value, parsed.getTextContent());
    assertEquals(value, parsed.getAttribute("note"));
    assertTrue(XmlWriter.isWritable(value));
  }

  @Test
  void otherControlCharactersAreRefused() {
    for (String bad : new String[] {"bell\u0007", "nul\u0000", "del\u007f", "next line\u0085", "lone \ud800"}) {
      assertFalse(XmlWriter.isWritable(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> new XmlWriter().text("title", bad), bad);
    }
  }
}
