package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy, rendered with the tenants of the operator's real-API test
 * (TenantVolumesTest), must equal the copy that test installs on a real API server: so the policy
 * tested there is the one the chart installs. After changing the template, run this test with
 * {@code -Dvguest.updateAdmissionPolicyCopy=true} to write the copy again.
 */
class AdmissionPolicyCopyTest {

  /** The values TenantVolumesTest's tenants are configured with (pool default shared by team-a and team-b). */
  static final Map<String, Object> VALUES = Map.of(
      "allowedPools", List.of(),
      "poolGrants", Map.of("default", List.of("team-a", "team-b"), "tenant-a", List.of("team-a")),
      "admissionPolicy", Map.of("enabled", true));

  static final YAMLMapper WRITER = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

  @Test
  void theRealApiTestInstallsThePolicyTheChartRenders() throws IOException {
    List<JsonNode> policy = new ArrayList<>();
    for (JsonNode doc : Chart.render(VALUES).documents()) {
      if (doc.path("kind").asText().startsWith("ValidatingAdmissionPolicy")) {
        ((ObjectNode) doc.path("metadata")).remove("labels"); // versions change; the rule does not
        policy.add(doc);
      }
    }
    assertEquals(List.of("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"),
        policy.stream().map(d -> d.path("kind").asText()).toList());
    Path copy = Repo.root().resolve("operator/src/test/resources/admission-policy/tenant-volumes.yaml");
    if (Boolean.getBoolean("vguest.updateAdmissionPolicyCopy")) {
      StringBuilder text = new StringBuilder("# Rendered from helm-chart/templates/admission-policy.yaml with the values of\n"
          + "# packaging's AdmissionPolicyCopyTest, which keeps it equal to the chart.\n");
      for (JsonNode doc : policy) {
        text.append("---\n").append(WRITER.writeValueAsString(doc));
      }
      Files.writeString(copy, text);
    }
    assertTrue(Files.isRegularFile(copy), copy + " is missing; run this test with "
        + "-Dvguest.updateAdmissionPolicyCopy=true");
    List<JsonNode> copied = Manifests.parse(Files.readString(copy)).documents();
    assertEquals(policy.size(), copied.size());
    for (int i = 0; i < policy.size(); i++) {
      Manifests.assertSameYaml(policy.get(i), copied.get(i), copy + " differs from the chart's policy; run "
          + "AdmissionPolicyCopyTest with -Dvguest.updateAdmissionPolicyCopy=true");
    }
  }
}
