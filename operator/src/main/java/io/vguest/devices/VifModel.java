package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Network interface card model. */
public enum VifModel implements DeviceChoice {
  VIRTIO("virtio"),
  E1000("e1000"),
  E1000E("e1000e"),
  RTL8139("rtl8139"),
  NE2K_PCI("ne2k_pci"),
  PCNET("pcnet"),
  VMXNET3("vmxnet3"),
  IGB("igb"),
  SPAPR_VLAN("spapr-vlan");

  private final String value;

  VifModel(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static VifModel fromValue(String value) {
    return DeviceChoice.parse(VifModel.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
