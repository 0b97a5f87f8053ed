package io.vguest.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * A reusable set of serial policy and device preferences, like a Nova flavor's or image's
 * properties. Read once, when a guest is first resolved: editing it never changes existing guests.
 */
@Group(VirtualGuest.GROUP)
@Version(VirtualGuest.VERSION)
@ShortNames("gdp")
@AdditionalPrinterColumn(name = "Disk bus", jsonPath = ".spec.diskBus", type = Type.STRING)
@AdditionalPrinterColumn(name = "NIC", jsonPath = ".spec.vifModel", type = Type.STRING)
@AdditionalPrinterColumn(name = "Video", jsonPath = ".spec.videoModel", type = Type.STRING)
@AdditionalPrinterColumn(name = "Serial policy", jsonPath = ".spec.serialPolicy", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class GuestDeviceProfile extends CustomResource<GuestDeviceProfileSpec, Void> implements Namespaced {

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
