package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.ValidationRule;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DiskBus;
import io.vguest.devices.InputBus;
import io.vguest.devices.PointerModel;
import io.vguest.devices.RngModel;
import io.vguest.devices.ScsiModel;
import io.vguest.devices.VideoModel;
import io.vguest.devices.VifModel;

/** Device buses and models of a guest; every field unset here is resolved once and stamped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.cdromBus) || self.cdromBus != 'virtio'",
    message = "cdromBus: a cdrom cannot be on virtio; use sata, scsi, ide or usb")
@ValidationRule(value = "!has(self.cdromBus) || self.cdromBus != 'fdc'",
    message = "cdromBus: fdc is for floppies only; use sata, scsi, ide or usb")
@ValidationRule(value = "!has(self.diskBus) || self.diskBus != 'fdc'",
    message = "diskBus: fdc is for floppies only; use virtio, scsi, sata, ide or usb")
@ValidationRule(value = "!has(self.floppyBus) || self.floppyBus == 'fdc'",
    message = "floppyBus: a floppy can only be on fdc")
@ValidationRule(value = "!has(self.rescueBus) || self.rescueBus != 'fdc'",
    message = "rescueBus: fdc is for floppies only; use virtio, scsi, sata, ide or usb")
public class Devices {

  @JsonPropertyDescription("Bus of root, data, ephemeral and swap disks that set none themselves. One of virtio, "
      + "scsi, sata, ide, usb. Stamped by the operator when unset; changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public DiskBus diskBus;

  @JsonPropertyDescription("Bus of cdrom drives. One of scsi, sata, ide, usb (not virtio, not fdc). "
      + "Stamped when unset; changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public DiskBus cdromBus;

  @JsonPropertyDescription("Bus of floppy drives: fdc. Stamped when unset.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public DiskBus floppyBus;

  @JsonPropertyDescription("Bus the rescue disk (spec.rescue) is attached to when the guest boots in rescue mode. One "
      + "of virtio, scsi, sata, ide, usb. Stamped when unset.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public DiskBus rescueBus;

  @JsonPropertyDescription("Bus of the keyboard and pointer: usb or virtio. Stamped when unset.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public InputBus inputBus;

  @JsonPropertyDescription("Pointer device: usbtablet (absolute pointer on the input bus). Stamped when unset.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public PointerModel pointerModel;

  @JsonPropertyDescription("Random number generator: virtio (fed from the host's /dev/urandom) or none. "
      + "Stamped when unset.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public RngModel rngModel;

  @JsonPropertyDescription("SCSI controller model, used when any disk is on the scsi bus. One of virtio-scsi, lsilogic, "
      + "lsisas1068, lsisas1078, buslogic, vmpvscsi, ibmvscsi (most QEMU builds offer virtio-scsi and lsilogic). "
      + "Stamped when unset.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public ScsiModel scsiModel;

  @JsonPropertyDescription("Video adapter: virtio, vga, cirrus, qxl, bochs or none. Stamped when unset.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public VideoModel videoModel;

  @JsonPropertyDescription("Model of interfaces that set none themselves: virtio, e1000, e1000e, rtl8139, ne2k_pci, "
      + "pcnet, vmxnet3, igb, spapr-vlan. Stamped when unset; changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public VifModel vifModel;

  public DeviceChoices toChoices(String machineType) {
    return new DeviceChoices(machineType, diskBus, cdromBus, floppyBus, rescueBus, inputBus, pointerModel,
        rngModel, scsiModel, videoModel, vifModel);
  }

  /** Copies every device choice (not the machine type) into this object. */
  public void setFrom(DeviceChoices choices) {
    diskBus = choices.diskBus();
    cdromBus = choices.cdromBus();
    floppyBus = choices.floppyBus();
    rescueBus = choices.rescueBus();
    inputBus = choices.inputBus();
    pointerModel = choices.pointerModel();
    rngModel = choices.rngModel();
    scsiModel = choices.scsiModel();
    videoModel = choices.videoModel();
    vifModel = choices.vifModel();
  }
}
