package io.vguest.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.AdditionalSelectableField;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/** A virtual machine run by libvirt on one node, whose hardware identity never drifts. */
@Group(VirtualGuest.GROUP)
@Version(VirtualGuest.VERSION)
@ShortNames("vg")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.node", type = Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = Type.STRING)
@AdditionalPrinterColumn(name = "Serial", jsonPath = ".status.serial", type = Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@AdditionalPrinterColumn(name = "Profile", jsonPath = ".spec.profile", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Machine", jsonPath = ".spec.machineType", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Pending", jsonPath = ".status.pendingChanges", type = Type.STRING, priority = 1)
@AdditionalSelectableField(jsonPath = ".spec.nodeName")
@AdditionalSelectableField(jsonPath = ".status.node")
public class VirtualGuest extends CustomResource<VirtualGuestSpec, VirtualGuestStatus> implements Namespaced {
  public static final String GROUP = "vguest.io";
  public static final String VERSION = "v1alpha1";

  /**
   * Enum fields whose values this version does not know, read as unset (see {@link UnknownValues});
   * empty for a resource read whole.
   */
  public List<UnknownValues.UnknownValue> unknownValues() {
    return UnknownValues.of(this);
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    super.setMetadata(UnknownValues.carriedOver(getMetadata(), metadata));
  }
}
