package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Model of the SCSI controller added when any disk uses the scsi bus. */
public enum ScsiModel implements DeviceChoice {
  VIRTIO_SCSI("virtio-scsi"),
  LSILOGIC("lsilogic"),
  LSISAS1068("lsisas1068"),
  LSISAS1078("lsisas1078"),
  BUSLOGIC("buslogic"),
  VMPVSCSI("vmpvscsi"),
  IBMVSCSI("ibmvscsi");

  private final String value;

  ScsiModel(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static ScsiModel fromValue(String value) {
    return DeviceChoice.parse(ScsiModel.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
