package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestMetadataTest {

  @Test
  void readsTheElementAsLibvirtsGetMetadataReturnsIt() {
    String bare = """
        <guest>
          <name>web-1</name>
          <namespace>demo</namespace>
          <identity serialPolicy="unique" serial="S1" uuid="U1" stampedFor="demo/web-1">
            <disk name="root" serial="D1"/>
          </identity>
          <renderHash>sha256:abc</renderHash>
        </guest>
        """;
    GuestMetadata parsed = GuestMetadata.parse(bare);
    assertEquals("web-1", parsed.name());
    assertEquals("sha256:abc", parsed.renderHash());
    assertEquals(Map.of("root", "D1"), parsed.identity().diskSerials());
  }

  @Test
  void aGuestElementInsideAForeignDocumentIsNotOurs() {
    assertThrows(IllegalArgumentException.class,
        () -> GuestMetadata.parse("<domain><metadata><guest><name>x</name></guest></metadata></domain>"));
  }
}
