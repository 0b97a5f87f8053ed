package io.vguest.packaging;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Renders the chart with Helm's Java binding (Helm itself, run in-process; no helm binary). */
final class Chart {

  static final String RELEASE = "vguest";
  static final String NAMESPACE = "vguest-system";
  /** The oldest Kubernetes the chart supports (its kubeVersion). */
  static final String KUBE_VERSION = "1.31.0";

  private Chart() {}

  static Helm helm() {
    return new Helm(Repo.chart());
  }

  /** `helm template vguest helm-chart -n vguest-system` with the default values. */
  static Manifests render() throws IOException {
    return render(Map.of());
  }

  /** The same with a values file holding {@code values} (nested maps and lists, typed as given). */
  static Manifests render(Map<String, ?> values) throws IOException {
    return Manifests.parse(template(values));
  }

  static String template(Map<String, ?> values) throws IOException {
    FakeApiServer.get();
    Path file = Files.createTempFile("values-", ".yaml");
    try {
      Manifests.YAML.writeValue(file.toFile(), values);
      return helm().template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
          .withValuesFile(file).call();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
