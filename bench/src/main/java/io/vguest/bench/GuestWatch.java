package io.vguest.bench;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.StatusBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The harness's own view of the guests of one namespace, kept current by a watch. */
public final class GuestWatch implements AutoCloseable {

  private final Map<String, VirtualGuest> guests = new ConcurrentHashMap<>();
  private final SharedIndexInformer<VirtualGuest> informer;

  public GuestWatch(KubernetesClient client, String namespace) {
    informer = client.resources(VirtualGuest.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(VirtualGuest guest) {
        guests.put(guest.getMetadata().getName(), guest);
      }

      @Override
      public void onUpdate(VirtualGuest before, VirtualGuest guest) {
        guests.put(guest.getMetadata().getName(), guest);
      }

      @Override
      public void onDelete(VirtualGuest guest, boolean unknownFinalState) {
        guests.remove(guest.getMetadata().getName());
      }
    });
  }

  /** Ready=True for the guest's current generation. */
  public static boolean ready(VirtualGuest guest) {
    if (guest.getStatus() == null) {
      return false;
    }
    Condition ready = StatusBuilder.condition(guest.getStatus(), StatusBuilder.READY);
    return ready != null && "True".equals(ready.getStatus())
        && guest.getMetadata().getGeneration().equals(guest.getStatus().observedGeneration);
  }

  public static boolean stopped(VirtualGuest guest) {
    return ready(guest) && "Stopped".equals(guest.getStatus().state);
  }

  public long count(Predicate<VirtualGuest> which) {
    return guests.values().stream().filter(which).count();
  }

  public VirtualGuest get(String name) {
    return guests.get(name);
  }

  /** Waits until at least {@code n} guests match; false when the timeout passed first. */
  public boolean await(Predicate<VirtualGuest> which, long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(which) < n) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    informer.close();
  }
}
