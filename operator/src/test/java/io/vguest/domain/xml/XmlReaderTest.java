package io.vguest.domain.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class XmlReaderTest {

  static final String ENTITY = "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x 'expanded'>]><d>&x;</d>";

  @Test
  void aReusedParserStillRefusesDoctypesAndRecoversFromErrors() {
    for (int round = 0; round < 3; round++) {
      assertEquals("one", XmlReader.parse("<d>one</d>", "test").getTextContent());
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> XmlReader.parse(ENTITY, "test XML"));
      assertEquals(true, refused.getMessage().startsWith("unreadable test XML: "), refused.getMessage());
      assertThrows(IllegalArgumentException.class, () -> XmlReader.parse("<d>", "test"));
      assertEquals("two", XmlReader.parse("<n:d xmlns:n='urn:x'>two</n:d>", "test").getTextContent());
      assertEquals("urn:x", XmlReader.parse("<n:d xmlns:n='urn:x'>two</n:d>", "test").getNamespaceURI());
    }
  }

  @Test
  void threadsParseAtTheSameTime() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String text = "value-" + i;
        results.add(pool.submit(() -> XmlReader.parse("<d><e a='1'>" + text + "</e></d>", "test").getTextContent()));
      }
      for (int i = 0; i < 200; i++) {
        assertEquals("value-" + i, results.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
