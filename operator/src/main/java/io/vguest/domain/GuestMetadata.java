package io.vguest.domain;

import io.vguest.devices.DeviceChoices;
import io.vguest.domain.xml.XmlWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import io.vguest.domain.xml.XmlReader;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

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
    Element document = parseDocument(xml);
    Element root = document.getNamespaceURI() == null && ROOT_ELEMENT.equals(document.getLocalName())
        ? document : findGuestElement(document);
    if (root == null) {
      throw new IllegalArgumentException("no <guest> element in namespace " + NAMESPACE);
    }
    Element operator = child(root, "operator");
    Element owner = child(root, "owner");
    Element rootDisk = child(root, "root");
    Element identity = child(root, "identity");
    Element devices = child(root, "devices");
    Element firmware = child(root, "firmware");
    String generation = childText(root, "generation");
    return new GuestMetadata(
        operator == null ? null : attr(operator, "version"),
        childText(root, "namespace"),
        childText(root, "name"),
        childText(root, "uid"),
        childText(root, "displayName"),
        childText(root, "profile"),
        childText(root, "creationTime"),
        owner == null ? null : new Owner(attr(owner, "kind"), attr(owner, "name"), attr(owner, "uid")),
        rootDisk == null ? null
            : new RootSource(attr(rootDisk, "type"), attr(rootDisk, "pool"), attr(rootDisk, "volume")),
        childText(root, "node"),
        generation == null ? null : Long.valueOf(generation),
        identity == null ? null : parseIdentity(identity),
        devices == null ? null : DeviceChoices.fromMap(attributes(devices)),
        childText(root, "renderHash"),
        firmware == null ? null : new FirmwareState(attr(firmware, "bootMode"),
            "yes".equals(attr(firmware, "secureBoot")), attr(firmware, "tpm"), childText(firmware, "nvram"),
            childText(firmware, "tpmState")));
  }

  private static Identity parseIdentity(Element identity) {
    SortedMap<String, String> disks = new TreeMap<>();
    SortedMap<String, String> macs = new TreeMap<>();
    SortedMap<String, String> wwns = new TreeMap<>();
    SortedMap<String, String> addresses = new TreeMap<>();
    NodeList children = identity.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && sameNamespace(identity, e)) {
        if ("disk".equals(e.getLocalName())) {
          disks.put(attr(e, "name"), attr(e, "serial"));
        } else if ("interface".equals(e.getLocalName())) {
          macs.put(attr(e, "name"), attr(e, "mac"));
        } else if ("wwn".equals(e.getLocalName())) {
          wwns.put(attr(e, "disk"), attr(e, "wwn"));
        } else if ("address".equals(e.getLocalName())) {
          addresses.put(attr(e, "device"), attr(e, "at"));
        }
      }
    }
    String generationIdFor = attr(identity, "generationIdFor");
    return new Identity(attr(identity, "serialPolicy"), attr(identity, "serial"), attr(identity, "uuid"),
        attr(identity, "stampedFor"), disks, macs, attr(identity, "generationId"),
        generationIdFor == null ? null : Integer.valueOf(generationIdFor), wwns, attr(identity, "machineType"),
        attr(identity, "machineTypeFor"), addresses);
  }

  private static Element parseDocument(String xml) {
    return XmlReader.parse(xml, "XML");
  }

  private static Element findGuestElement(Element element) {
    if (NAMESPACE.equals(element.getNamespaceURI()) && ROOT_ELEMENT.equals(element.getLocalName())) {
      return element;
    }
    NodeList children = element.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element child) {
        Element found = findGuestElement(child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** A child in the parent's own namespace (the vguest one, or none in getMetadata's form). */
  private static Element child(Element parent, String localName) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && sameNamespace(parent, e) && localName.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  private static boolean sameNamespace(Element parent, Element child) {
    return Objects.equals(parent.getNamespaceURI(), child.getNamespaceURI());
  }

  private static String childText(Element parent, String localName) {
    Element e = child(parent, localName);
    return e == null ? null : e.getTextContent();
  }

  private static String attr(Element e, String name) {
    return e.hasAttribute(name) ? e.getAttribute(name) : null;
  }

  private static Map<String, String> attributes(Element e) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < e.getAttributes().getLength(); i++) {
      Node a = e.getAttributes().item(i);
      map.put(a.getNodeName(), a.getNodeValue());
    }
    return map;
  }
}
