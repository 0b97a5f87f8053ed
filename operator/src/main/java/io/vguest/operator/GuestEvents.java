package io.vguest.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes events on guests: what the agent did and why, for {@code kubectl describe vg}. */
public final class GuestEvents {

  private static final Logger LOG = LoggerFactory.getLogger(GuestEvents.class);

  public static final String COMPONENT = "vguest-agent";

  private final KubernetesClient client;
  private final String node;
  private final Clock clock;

  public GuestEvents(KubernetesClient client, String node, Clock clock) {
    this.client = client;
    this.node = node;
    this.clock = clock;
  }

  public void normal(VirtualGuest guest, String reason, String message) {
    record(guest, "Normal", reason, message);
  }

  public void warning(VirtualGuest guest, String reason, String message) {
    record(guest, "Warning", reason, message);
  }

  /** Events are best effort: a failure to record one is logged and never fails a reconcile. */
  private void record(VirtualGuest guest, String type, String reason, String message) {
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    String namespace = guest.getMetadata().getNamespace();
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata().withGenerateName(guest.getMetadata().getName() + ".").withNamespace(namespace)
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(guest.getApiVersion())
              .withKind(guest.getKind()).withNamespace(namespace).withName(guest.getMetadata().getName())
              .withUid(guest.getMetadata().getUid()).withResourceVersion(guest.getMetadata().getResourceVersion())
              .build())
          .withType(type).withReason(reason).withMessage(message.length() > 1024 ? message.substring(0, 1024)
              : message)
          .withNewSource().withComponent(COMPONENT).withHost(node).endSource()
          .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT + "-" + node)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.warn("{}/{}: could not record event {}: {}", namespace, guest.getMetadata().getName(), reason,
          e.getMessage());
    }
  }
}
