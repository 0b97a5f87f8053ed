package io.vguest.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.guest.BadManifestCorpusTest;
import io.vguest.guest.BadManifestCorpusTest.Case;
import io.vguest.testing.RealApi;
import io.vguest.testing.RealApiCleaner;
import io.vguest.testing.RealApiServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus (bad-manifests/) applied through the real API server, as a user's
 * {@code kubectl apply} would send it: every case the CRD's schema and CEL rules refuse is refused
 * by the server with 422 and a message naming the field; the cases marked java-only (refused by
 * the agent alone, e.g. a pool the node does not allow) are accepted.
 */
@RealApi
class HostileCorpusRealApiTest {

  static final YAMLMapper YAML = new YAMLMapper();
  /** Cases whose value is both too long and of the wrong characters. */
  static final java.util.Set<String> LENGTH_FIRST = java.util.Set.of("xml-injection-in-disk-name.yaml",
      "xml-injection-in-mac-address.yaml", "xml-injection-in-stamped-mac.yaml");
  static String namespace;
  static KubernetesClient client;

  @BeforeAll
  static void namespace(RealApiServer server) {
    client = server.client();
    namespace = server.newNamespace("corpus");
  }

  @AfterAll
  static void clean() {
    RealApiCleaner.clean(client, AgentFixture.LEASES);
  }

  static java.util.stream.Stream<Case> cases() throws Exception {
    return BadManifestCorpusTest.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedByTheApiServerNamingTheField(Case c) throws IOException {
    String name = c.toString().replace(".yaml", "");
    List<String> refusals = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(c.file().toFile())) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        ObjectNode object = doc.deepCopy();
        ObjectNode meta = object.with("metadata");
        if (!c.schema().field().startsWith("metadata.name")) {
          meta.put("name", name + (meta.path("name").asText().isEmpty() ? "" : "-" + object.path("kind").asText()
              .toLowerCase(java.util.Locale.ROOT)));
        }
        if (!c.schema().field().startsWith("metadata.namespace")) {
          meta.put("namespace", namespace);
        }
        try {
          client.resource(YAML.convertValue(object, GenericKubernetesResource.class)).create();
        } catch (KubernetesClientException e) {
          refusals.add(e.getCode() + " " + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        }
      }
    }
    if (c.javaOnly() && c.java().field().startsWith("metadata.name")) {
      // The server checks object names itself (RFC 1123), before any schema: refused, the field named.
      assertTrue(refusals.stream().anyMatch(r -> r.startsWith("422 ") && r.contains("metadata.name: Invalid value")),
          c + ": expected the API server to refuse the object name, got " + refusals);
      return;
    }
    if (c.javaOnly()) {
      assertEquals(List.of(), refusals, c + " is marked java-only but the API server refuses it");
      return;
    }
    if (c.schema().fragments().contains("unknown field")) {
      // The server prunes unknown fields unless the client asks for strict field validation (as
      // kubectl apply does by default): stored without the field, never seen by an agent.
      GenericKubernetesResource stored = client.genericKubernetesResources("vguest.io/v1alpha1", "VirtualGuest")
          .inNamespace(namespace).withName(name + "-virtualguest").get();
      assertEquals(List.of(), refusals);
      assertTrue(stored != null && !YAML.valueToTree(stored).toString().contains("\"size\""),
          c + ": the unknown field is pruned: " + stored);
      return;
    }
    if (refusals.isEmpty()) {
      fail(c + " was accepted by the API server; expected " + c.schema());
    }
    // The server checks a string's length before its pattern and then reports only the length.
    List<String> fragments = LENGTH_FIRST.contains(c.toString()) ? List.of("Too long") : c.schema().fragments();
    assertTrue(refusals.stream().anyMatch(r -> r.startsWith("422 ") && r.contains(c.schema().field() + ": ")
            && fragments.stream().allMatch(r::contains)),
        c + ": expected " + c.schema().field() + " " + fragments + " among " + refusals);
  }
}
