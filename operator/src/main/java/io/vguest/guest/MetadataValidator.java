package io.vguest.guest;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.vguest.api.v1alpha1.Patterns;
import java.util.List;

/** Checks a guest's or profile's name, namespace and owner references, which the domain's metadata records. */
final class MetadataValidator {

  private MetadataValidator() {}

  static void metadata(FieldCheck c, ObjectMeta meta) {
    if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
      c.add("metadata.name", "Required value");
      return;
    }
    c.name("metadata.name", meta.getName(), FieldCheck.DNS_SUBDOMAIN, Patterns.DNS_SUBDOMAIN_MAX, "a DNS subdomain");
    if (meta.getNamespace() != null) {
      c.name("metadata.namespace", meta.getNamespace(), FieldCheck.DNS_LABEL, Patterns.DNS_LABEL_MAX, "a DNS label");
    }
    List<OwnerReference> owners = meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences();
    for (int i = 0; i < owners.size(); i++) {
      // The controller's kind, name and uid are recorded in the domain's metadata; the API server
      // only checks that they are not empty.
      OwnerReference owner = owners.get(i);
      String at = "metadata.ownerReferences[" + i + "]";
      if (owner == null) {
        continue;
      }
      for (String[] part : new String[][] {{"kind", owner.getKind()}, {"name", owner.getName()},
          {"uid", owner.getUid()}}) {
        if (part[1] != null) {
          c.text(at + "." + part[0], part[1], false);
          c.maxLength(at + "." + part[0], part[1], Patterns.DNS_SUBDOMAIN_MAX);
        }
      }
    }
  }
}
