package io.vguest.testing;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Leaves the shared real API server without vguest objects between tests: the server has no
 * namespace controller (nothing deletes a namespace's content), and agents of a later test must not
 * see an earlier test's guests, events or Leases.
 */
public final class RealApiCleaner {

  private RealApiCleaner() {}

  /** Deletes every VirtualGuest (dropping its finalizers: no agent runs), profile, event, and the Leases of a namespace. */
  public static void clean(KubernetesClient client, String leaseNamespace) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<VirtualGuest> left;
    while (!(left = client.resources(VirtualGuest.class).inAnyNamespace().list().getItems()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("VirtualGuests left on the shared API server: " + left.stream()
            .map(g -> g.getMetadata().getNamespace() + "/" + g.getMetadata().getName()
                + " finalizers " + g.getMetadata().getFinalizers()).toList());
      }
      for (VirtualGuest guest : left) {
        var one = client.resources(VirtualGuest.class).inNamespace(guest.getMetadata().getNamespace())
            .withName(guest.getMetadata().getName());
        try {
          if (guest.getMetadata().getFinalizers() != null && !guest.getMetadata().getFinalizers().isEmpty()) {
            one.edit(g -> {
              g.getMetadata().setFinalizers(null);
              return g;
            });
          }
          if (guest.getMetadata().getDeletionTimestamp() == null) {
            one.delete();
          }
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
            throw e;
          }
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while cleaning the shared API server", e);
      }
    }
    client.resources(GuestDeviceProfile.class).inAnyNamespace().delete();
    for (Namespace namespace : client.namespaces().list().getItems()) {
      client.v1().events().inNamespace(namespace.getMetadata().getName()).delete();
    }
    client.resources(Lease.class).inNamespace(leaseNamespace).delete();
  }

  /** Creates the namespaces that do not exist yet. */
  public static void ensureNamespaces(KubernetesClient client, String... names) {
    for (String name : names) {
      if (client.namespaces().withName(name).get() == null) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
      }
    }
  }
}
