package io.vguest.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityOwnerTest {

  @Test
  void ownerIsNamespaceSlashNameInTheDefaultNamespaceWhenUnset() {
    assertEquals("demo/web", IdentityOwner.of("demo", "web"));
    assertEquals("default/web", IdentityOwner.of(null, "web"));
    assertEquals("default/web", IdentityOwner.of("", "web"));
  }

  @Test
  void aStampOfItsOwnOrNoneIsNoCopy() {
    assertEquals(Optional.empty(), IdentityOwner.copyRefusal("demo/web", null, null, null));
    assertEquals(Optional.empty(), IdentityOwner.copyRefusal("demo/web", "demo/web", null, null));
  }

  @Test
  void anotherGuestsStampIsRefusedNamingBothWaysOut() {
    String message = IdentityOwner.copyRefusal("demo/web-2", "demo/web-1", null, null).orElseThrow();
    assertTrue(message.startsWith("spec.identity.stampedFor is \"demo/web-1\": this spec carries the identity"),
        message);
    assertTrue(message.contains("vguest.io/clone-of=demo/web-1"), message);
    assertTrue(message.contains("vguest.io/accept-identity-of=demo/web-1"), message);
  }

  @Test
  void anAcceptedOrDeclaredCloneIsNoCopy() {
    assertEquals(Optional.empty(), IdentityOwner.copyRefusal("demo/web-2", "demo/web-1", "demo/web-1", null));
    assertEquals(Optional.empty(), IdentityOwner.copyRefusal("demo/web-2", "demo/web-1", null, "demo/web-1"));
    assertTrue(IdentityOwner.copyRefusal("demo/web-2", "demo/web-1", "demo/other", "demo/other").isPresent());
  }

  @Test
  void aCloneOfItselfIsNoClone() {
    assertTrue(IdentityOwner.isCloneOf("demo/web-2", "demo/web-1", "demo/web-1"));
    assertFalse(IdentityOwner.isCloneOf("demo/web-1", "demo/web-1", "demo/web-1"));
    assertFalse(IdentityOwner.isCloneOf("demo/web-2", null, null));
  }

  @Test
  void onlyALostStampRecordedForThisVeryGuestIsRestored() {
    assertTrue(IdentityOwner.restorable("demo/web", null, "demo/web"));
    assertFalse(IdentityOwner.restorable("demo/web", "demo/web", "demo/web"));
    assertFalse(IdentityOwner.restorable("demo/web", null, "demo/other"));
    assertFalse(IdentityOwner.restorable("demo/web", null, null));
  }
}
