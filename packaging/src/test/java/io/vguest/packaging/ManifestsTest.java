package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The manifest checks themselves: a field the API does not know must not pass unnoticed. */
class ManifestsTest {

  @Test
  void fieldAtTheWrongLevelIsReported() throws IOException {
    Manifests m = Manifests.parse("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: x}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: c
                  image: i
                  readOnly: true
        """);
    AssertionError e = assertThrows(AssertionError.class, m::assertAllStrictlyTyped);
    assertTrue(e.getMessage().contains("spec.template.spec.containers[0].readOnly"), e.getMessage());
  }

  @Test
  void wellFormedObjectPasses() throws IOException {
    Manifests.parse("""
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: x, namespace: y, labels: {free: form}}
        """).assertAllStrictlyTyped();
  }
}
