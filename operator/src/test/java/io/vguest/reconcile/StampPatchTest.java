package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guarded patches that stamp and claim a guest, and give a claim up. */
class StampPatchTest {

  private static final String CLAIM = "vguest.io/claimed-by";

  private static VirtualGuest guest(Map<String, String> annotations) {
    VirtualGuest guest = new VirtualGuest();
    guest.setMetadata(new ObjectMetaBuilder().withName("web-1").withNamespace("demo").withResourceVersion("7")
        .withAnnotations(annotations).build());
    guest.setSpec(new VirtualGuestSpec());
    guest.getSpec().nodeName = "node-a";
    return guest;
  }

  @Test
  void theClaimRidesInTheStampPatchBehindTheResourceVersionTest() {
    VirtualGuest original = guest(null);
    String patch = StampPatch.between(original, original, "vguest.io/domain", Map.of(CLAIM, "node-a"));
    assertEquals("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"},"
        + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"vguest.io/claimed-by\":\"node-a\"}},"
        + "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"vguest.io/domain\"]}]", patch);
  }

  @Test
  void aClaimOfAnotherNodeIsReplacedAndOtherAnnotationsStay() {
    VirtualGuest original = guest(Map.of(CLAIM, "node-a", "example.com/team", "web"));
    String patch = StampPatch.between(original, original, null, Map.of(CLAIM, "node-b"));
    assertEquals("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"},"
        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/vguest.io~1claimed-by\",\"value\":\"node-b\"}]", patch);
  }

  @Test
  void nothingToWriteWhenTheClaimIsThere() {
    VirtualGuest original = guest(Map.of(CLAIM, "node-a"));
    assertNull(StampPatch.between(original, original, null, Map.of(CLAIM, "node-a")));
  }

  @Test
  void aClaimIsGivenUpOnlyWhileItNamesTheNode() {
    assertEquals("[{\"op\":\"test\",\"path\":\"/metadata/annotations/vguest.io~1claimed-by\",\"value\":\"node-a\"},"
        + "{\"op\":\"remove\",\"path\":\"/metadata/annotations/vguest.io~1claimed-by\"}]",
        StampPatch.removeAnnotation(Map.of(CLAIM, "node-a"), CLAIM, "node-a"));
    assertNull(StampPatch.removeAnnotation(Map.of(CLAIM, "node-b"), CLAIM, "node-a"));
    assertNull(StampPatch.removeAnnotation(null, CLAIM, "node-a"));
  }
}
