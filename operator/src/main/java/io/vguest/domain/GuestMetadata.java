package io.vguest.domain;

import io.vguest.devices.DeviceChoices;
import io.vguest.domain.xml.XmlWriter;
import io.vguest.domain.xml.XmlElement;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What vguest records in the domain's own XML, under its private namespace, so that an admin on
 * the node can see what a domain is without the Kubernetes API, and so that stamped values lost
 * from a guest's spec (a whole-object replace) can be restored instead of generated afresh.
 *
 * @param creationTime the guest object's creation time, never the time of rendering
 * @param renderHash hash of the rendered domain (everything outside this metadata), or null before rendering
 */
public record GuestMetadata(
    String operatorVersion,
    String namespace,
    String name,
    String uid,
    String displayName,
    String profile,
    String creationTime,
    Owner owner,
    RootSource root,
    String node,
    Long generation,
    Identity identity,
    DeviceChoices devices,
    String renderHash,
    FirmwareState firmware) {

  public static final String NAMESPACE = "https://vguest.io/xmlns/domain/v1";
  public static final String PREFIX = "vguest";
  public static final String ROOT_ELEMENT = "guest";

  /** The Kubernetes object that owns the guest (its controller owner reference). */
  public record Owner(String kind, String name, String uid) {}

  /** Where the root disk's data comes from: a pool volume, an external volume id, or a blank volume. */
  public record RootSource(String type, String pool, String volume) {}

  /**
   * Identity values as stamped into the guest's spec.
   *
   * @param generationIdFor the count of declared restores the generation ID was stamped for
   * @param machineType the pinned versioned machine type, or null when none is pinned
   * @param machineTypeFor the spec.machineType the pinned type was resolved from
   * @param deviceAddresses stamped device addresses by device key ({@link DeviceKeys})
   */
  public record Identity(
      String serialPolicy,
      String serial,
      String uuid,
      String stampedFor,
      SortedMap<String, String> diskSerials,
      SortedMap<String, String> macAddresses,
      String generationId,
      Integer generationIdFor,
      SortedMap<String, String> diskWwns,
      String machineType,
      String machineTypeFor,
      SortedMap<String, String> deviceAddresses) {

    public Identity {
      diskSerials = new TreeMap<>(diskSerials);
      macAddresses = new TreeMap<>(macAddresses);
      diskWwns = new TreeMap<>(diskWwns == null ? Map.of() : diskWwns);
      deviceAddresses = new TreeMap<>(deviceAddresses == null ? Map.of() : deviceAddresses);
    }

    /** Identity values without a generation ID or WWNs (as recorded before they existed). */
    public Identity(String serialPolicy, String serial, String uuid, String stampedFor,
        SortedMap<String, String> diskSerials, SortedMap<String, String> macAddresses) {
      this(serialPolicy, serial, uuid, stampedFor, diskSerials, macAddresses, null, null, null, null, null, null);
    }
  }

  /**
   * The firmware a domain was defined with and where its state lives: which OVMF features, the
   * NVRAM volume and the volume the TPM state is carried in ({@code pool/volume}, null when none).
   */
  public record FirmwareState(String bootMode, boolean secureBoot, String tpm, String nvram, String tpmState) {

    public static FirmwareState of(FirmwareDefinition f) {
      return new FirmwareState(f.bootMode().value(), f.secureBoot(), f.tpm().value(),
          f.nvram() == null ? null : f.nvram().pool() + "/" + f.nvram().volume(),
          f.tpmState() == null ? null : f.tpmState().pool() + "/" + f.tpmState().volume());
    }
  }

  /** Metadata of a domain defined before vguest recorded firmware (BIOS, no TPM). */
  public GuestMetadata(String operatorVersion, String namespace, String name, String uid, String displayName,
      String profile, String creationTime, Owner owner, RootSource root, String node, Long generation,
      Identity identity, DeviceChoices devices, String renderHash) {
    this(operatorVersion, namespace, name, uid, displayName, profile, creationTime, owner, root, node, generation,
        identity, devices, renderHash, null);
  }

  /** The same metadata with other stamped device addresses. */
  public GuestMetadata withDeviceAddresses(SortedMap<String, String> addresses) {
    Identity i = identity == null ? new Identity(null, null, null, null, new TreeMap<>(), new TreeMap<>()) : identity;
    return new GuestMetadata(operatorVersion, namespace, name, uid, displayName, profile, creationTime, owner, root,
        node, generation, new Identity(i.serialPolicy(), i.serial(), i.uuid(), i.stampedFor(), i.diskSerials(),
        i.macAddresses(), i.generationId(), i.generationIdFor(), i.diskWwns(), i.machineType(), i.machineTypeFor(),
        addresses), devices, renderHash, firmware);
  }

  public GuestMetadata withRenderHash(String hash) {
    return new GuestMetadata(operatorVersion, namespace, name, uid, displayName, profile, creationTime, owner, root,
        node, generation, identity, devices, hash, firmware);
  }

  public GuestMetadata withFirmware(FirmwareState state) {
    return new GuestMetadata(operatorVersion, namespace, name, uid, displayName, profile, creationTime, owner, root,
        node, generation, identity, devices, renderHash, state);
  }

  /** Writes the single {@code <vguest:guest>} element libvirt keeps under {@code <metadata>}. */
  public void write(XmlWriter xml) {
    String p = PREFIX + ":";
    xml.start(p + ROOT_ELEMENT, "xmlns:" + PREFIX, NAMESPACE);
    xml.empty(p + "operator", "version", operatorVersion);
    xml.text(p + "name", name);
    xml.text(p + "namespace", namespace);
    xml.text(p + "uid", uid);
    xml.text(p + "displayName", displayName);
    xml.text(p + "profile", profile);
    xml.text(p + "creationTime", creationTime);
    if (owner != null) {
      xml.empty(p + "owner", "kind", owner.kind(), "name", owner.name(), "uid", owner.uid());
    }
    if (root != null) {
      xml.empty(p + "root", "type", root.type(), "pool", root.pool(), "volume", root.volume());
    }
    xml.text(p + "node", node);
    xml.text(p + "generation", generation);
    if (identity != null) {
      xml.start(p + "identity", "serialPolicy", identity.serialPolicy(), "serial", identity.serial(),
          "uuid", identity.uuid(), "stampedFor", identity.stampedFor(), "generationId", identity.generationId(),
          "generationIdFor", identity.generationIdFor(), "machineType", identity.machineType(),
          "machineTypeFor", identity.machineTypeFor());
      identity.diskSerials().forEach((disk, serial) -> xml.empty(p + "disk", "name", disk, "serial", serial));
      identity.diskWwns().forEach((disk, wwn) -> xml.empty(p + "wwn", "disk", disk, "wwn", wwn));
      identity.deviceAddresses().forEach((device, address) -> xml.empty(p + "address", "device", device, "at", address));
      identity.macAddresses().forEach((nic, mac) -> xml.empty(p + "interface", "name", nic, "mac", mac));
      xml.end();
    }
    if (devices != null) {
      Map<String, String> choices = devices.asMap();
      Object[] attributes = new Object[choices.size() * 2];
      int i = 0;
      for (Map.Entry<String, String> choice : choices.entrySet()) {
        attributes[i++] = choice.getKey();
        attributes[i++] = choice.getValue();
      }
      xml.empty(p + "devices", attributes);
    }
    if (firmware != null) {
      xml.start(p + "firmware", "bootMode", firmware.bootMode(), "secureBoot", firmware.secureBoot() ? "yes" : "no",
          "tpm", firmware.tpm());
      xml.text(p + "nvram", firmware.nvram());
      xml.text(p + "tpmState", firmware.tpmState());
      xml.end();
    }
    xml.text(p + "renderHash", renderHash);
    xml.end();
  }

  public String toXml() {
    XmlWriter xml = new XmlWriter();
    write(xml);
    return xml.toXml();
  }

  /**
   * Reads the metadata element back, from a whole domain XML or from the element alone. libvirt's
   * getMetadata returns the element with neither prefix nor namespace declaration, so a document
   * whose root is an un-namespaced {@code <guest>} is read as that element; inside a domain only
   * the element in {@link #NAMESPACE} counts.
   */
  public static GuestMetadata parse(String xml) {
    XmlElement document = XmlElement.parse(xml, "XML");
    XmlElement root = document.namespace() == null && ROOT_ELEMENT.equals(document.name())
        ? document : document.find(NAMESPACE, ROOT_ELEMENT);
    if (root == null) {
      throw new IllegalArgumentException("no <guest> element in namespace " + NAMESPACE);
    }
    return read(root);
  }

  /** Reads the {@code <guest>} element {@link #write} writes (children in its own namespace). */
  public static GuestMetadata read(XmlElement root) {
    XmlElement operator = root.child("operator");
    XmlElement owner = root.child("owner");
    XmlElement rootDisk = root.child("root");
    XmlElement identity = root.child("identity");
    XmlElement devices = root.child("devices");
    XmlElement firmware = root.child("firmware");
    return new GuestMetadata(
        operator == null ? null : operator.attr("version"),
        root.childText("namespace"),
        root.childText("name"),
        root.childText("uid"),
        root.childText("displayName"),
        root.childText("profile"),
        root.childText("creationTime"),
        owner == null ? null : new Owner(owner.attr("kind"), owner.attr("name"), owner.attr("uid")),
        rootDisk == null ? null
            : new RootSource(rootDisk.attr("type"), rootDisk.attr("pool"), rootDisk.attr("volume")),
        root.childText("node"),
        root.child("generation") == null ? null : Long.valueOf(root.childText("generation")),
        identity == null ? null : readIdentity(identity),
        devices == null ? null : DeviceChoices.fromMap(devices.attributes()),
        root.childText("renderHash"),
        firmware == null ? null : new FirmwareState(firmware.attr("bootMode"), "yes".equals(firmware.attr("secureBoot")),
            firmware.attr("tpm"), firmware.childText("nvram"), firmware.childText("tpmState")));
  }

  private static Identity readIdentity(XmlElement identity) {
    SortedMap<String, String> disks = new TreeMap<>();
    SortedMap<String, String> macs = new TreeMap<>();
    SortedMap<String, String> wwns = new TreeMap<>();
    SortedMap<String, String> addresses = new TreeMap<>();
    identity.children("disk").forEach(e -> disks.put(e.attr("name"), e.attr("serial")));
    identity.children("interface").forEach(e -> macs.put(e.attr("name"), e.attr("mac")));
    identity.children("wwn").forEach(e -> wwns.put(e.attr("disk"), e.attr("wwn")));
    identity.children("address").forEach(e -> addresses.put(e.attr("device"), e.attr("at")));
    return new Identity(identity.attr("serialPolicy"), identity.attr("serial"), identity.attr("uuid"),
        identity.attr("stampedFor"), disks, macs, identity.attr("generationId"),
        identity.attr("generationIdFor", Integer::valueOf), wwns, identity.attr("machineType"),
        identity.attr("machineTypeFor"), addresses);
  }
}
