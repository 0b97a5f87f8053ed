package io.vguest.domain;

/** libvirt domain type: {@code qemu} is software emulation (TCG), {@code kvm} hardware virtualisation. */
public enum VirtType {
  QEMU("qemu"), KVM("kvm");

  private final String xml;

  VirtType(String xml) {
    this.xml = xml;
  }

  public String xml() {
    return xml;
  }

  public static VirtType fromValue(String value) {
    for (VirtType type : values()) {
      if (type.xml.equals(value)) {
        return type;
      }
    }
    throw new IllegalArgumentException("virt type \"" + value + "\": supported values: qemu, kvm");
  }
}
