package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.DiskStatus;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The example guests of examples/ on the install tier's node: the storage they name (a directory
 * pool per pool name under target/install/pools/, a small volume for each volume they name), each
 * example as this node runs it, and what libvirt holds for a guest that has no operating system to
 * report from.
 */
final class ExampleGuests {

  static final String LINUX = "web-1";
  static final String WINDOWS = "erp-1";
  static final String LINUX_FILE = "examples/linux-guest.yaml";
  static final String WINDOWS_FILE = "examples/windows-guest.yaml";
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final long VOLUME_BYTES = 64L * 1024 * 1024;

  private final InstallTier tier;
  /** The pools the examples name, each a directory pool. */
  final TreeSet<String> pools = new TreeSet<>();

  ExampleGuests(InstallTier tier) {
    this.tier = tier;
  }

  /** The directory of one of the node's pools. */
  Path pool(String name) {
    return tier.work.resolve("pools").resolve(name);
  }

  /**
   * A directory pool for every pool an example names, with an empty raw volume under every volume
   * name (a root disk, the driver ISO, the external block volume's id), and the suite's kernel and
   * initramfs in the Linux example's pool. The examples' blank disks are the agent's to create.
   */
  void createPoolsAndVolumes(GuestImage guest) throws Exception {
    LibvirtDaemon.deleteTree(tier.work.resolve("pools"));
    for (String file : List.of(LINUX_FILE, WINDOWS_FILE)) {
      for (JsonNode disk : read(file).path("spec").path("disks")) {
        JsonNode source = disk.path("source");
        String pool = source.path("volume").path("pool").asText(source.path("external").path("pool")
            .asText(source.path("blank").path("pool").asText(null)));
        if (pool == null) {
          continue;
        }
        pools.add(pool);
        Files.createDirectories(pool(pool));
        String volume = source.path("volume").path("name").asText(source.path("external").path("volumeId").asText(null));
        if (volume != null) {
          // Raw, as the domain names no format for a volume it did not create.
          Commands.run(Duration.ofMinutes(1), "qemu-img", "create", "-q", "-f", "raw",
              pool(pool).resolve(volume).toString(), String.valueOf(VOLUME_BYTES)).orThrow();
        }
      }
    }
    Path kernelPool = pool(linuxPool());
    Files.copy(guest.kernel(), kernelPool.resolve(E2eEnvironment.KERNEL_VOLUME), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(guest.initramfs(), kernelPool.resolve(E2eEnvironment.INITRD_VOLUME), StandardCopyOption.REPLACE_EXISTING);
    for (String pool : pools) {
      tier.daemon.virsh("pool-define-as", pool, "dir", "--target", pool(pool).toString()).orThrow();
      tier.daemon.virsh("pool-start", pool).orThrow();
    }
  }

  /** The pool of the Linux example's root volume, where the kernel and initramfs go. */
  String linuxPool() throws Exception {
    return read(LINUX_FILE).at("/spec/disks/0/source/volume/pool").asText();
  }

  /**
   * The README's example guest (examples/linux-guest.yaml) as this node runs it: on this node, with
   * 256 MiB and one CPU, a user-mode NIC instead of libvirt network default (which would need a
   * bridge and dnsmasq on the host), booted from the suite's kernel and initramfs so its console
   * reports what the guest sees. Its disks (root volume, blank data disk, empty cdrom), profile and
   * tags stay.
   */
  String linuxGuest() throws Exception {
    ObjectNode doc = read(LINUX_FILE);
    ObjectNode spec = (ObjectNode) doc.get("spec");
    spec.put("nodeName", RealNode.NODE_NAME);
    ((ObjectNode) spec.get("resources")).put("cpus", 1).put("memory", "256Mi");
    for (JsonNode nic : spec.get("interfaces")) {
      ((ObjectNode) nic).remove("network");
      ((ObjectNode) nic).put("userMode", true);
    }
    String pool = linuxPool();
    ObjectNode boot = spec.putObject("kernelBoot");
    boot.putObject("kernel").put("pool", pool).put("name", E2eEnvironment.KERNEL_VOLUME);
    boot.putObject("initrd").put("pool", pool).put("name", E2eEnvironment.INITRD_VOLUME);
    boot.put("cmdline", "console=ttyS0 quiet no_timer_check vge2e.disks=" + spec.get("disks").size()
        + " vge2e.nics=" + spec.get("interfaces").size());
    return YAML.writeValueAsString(doc);
  }

  /**
   * The Windows example (examples/windows-guest.yaml) as it is, but for its node: 4 CPUs, 8 GiB
   * (QEMU allocates guest memory as the guest touches it, and the firmware touches little), UEFI
   * with Secure Boot and a TPM 2.0 (the windows defaults), its root volume, the external volume and
   * the driver ISO in their pools, its NIC on the host bridge br0 (created by the tier, with no
   * uplink). There is no Windows to boot: the firmware finds nothing to start and waits.
   */
  String windowsGuest() throws Exception {
    ObjectNode doc = read(WINDOWS_FILE);
    ((ObjectNode) doc.get("spec")).put("nodeName", RealNode.NODE_NAME);
    return YAML.writeValueAsString(doc);
  }

  /** The names of every VirtualGuest in examples/. */
  TreeSet<String> exampleGuestNames() throws Exception {
    TreeSet<String> names = new TreeSet<>();
    try (var files = Files.list(tier.repoRoot.resolve("examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
          for (var docs = YAML.readValues(parser, JsonNode.class); docs.hasNextValue(); ) {
            JsonNode doc = docs.nextValue();
            if ("VirtualGuest".equals(doc.path("kind").asText())) {
              names.add(doc.at("/metadata/name").asText());
            }
          }
        }
      }
    }
    return names;
  }

  private ObjectNode read(String file) throws Exception {
    return (ObjectNode) YAML.readTree(tier.repoRoot.resolve(file).toFile());
  }

  /**
   * The identity a guest's status and spec promise, held by libvirt for its running domain: the
   * SMBIOS serial and uuid, each disk's serial and bus, each NIC's MAC, model and bridge, the OEM
   * strings; UEFI with Secure Boot from an NVRAM volume in the guest's pool; a TPM 2.0 whose swtpm
   * state is on the node. Compared as whole values, so a failure names every difference.
   */
  void assertLibvirtHolds(VirtualGuest guest) throws Exception {
    String domain = E2eNode.domainName(guest);
    assertEquals("running", tier.daemon.virsh("domstate", domain).orThrow().strip(), domain);
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(tier.daemon.virsh("dumpxml", domain).orThrow().getBytes(StandardCharsets.UTF_8)));
    XPath x = XPathFactory.newInstance().newXPath();

    Map<String, String> promised = new TreeMap<>();
    promised.put("uuid", guest.getSpec().firmware.uuid.toLowerCase());
    promised.put("smbios uuid", guest.getSpec().firmware.uuid.toLowerCase());
    promised.put("smbios serial", guest.getStatus().serial);
    for (DiskStatus disk : guest.getStatus().disks) {
      promised.put("disk " + disk.name, disk.bus + " " + disk.serial);
    }
    for (NetworkInterface nic : guest.getSpec().interfaces) {
      promised.put("nic " + GuestExpectations.macOf(guest.getSpec(), nic), guest.getSpec().devices.vifModel.value()
          + " bridge " + nic.bridge);
    }
    promised.put("oem strings", String.join("\n", GuestExpectations.oemStrings(guest, RealNode.NODE_NAME)));

    Map<String, String> held = new TreeMap<>();
    held.put("uuid", x.evaluate("/domain/uuid", xml).toLowerCase());
    held.put("smbios uuid", x.evaluate("/domain/sysinfo/system/entry[@name='uuid']", xml).toLowerCase());
    held.put("smbios serial", x.evaluate("/domain/sysinfo/system/entry[@name='serial']", xml));
    NodeList disks = (NodeList) x.evaluate("/domain/devices/disk", xml, XPathConstants.NODESET);
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < disks.getLength(); i++) {
      Element disk = (Element) disks.item(i);
      targets.add(x.evaluate("target/@dev", disk) + " " + x.evaluate("target/@bus", disk) + " "
          + x.evaluate("serial", disk));
    }
    for (DiskStatus disk : guest.getStatus().disks) {
      targets.stream().filter(t -> t.endsWith(" " + disk.serial)).findFirst()
          .ifPresent(t -> held.put("disk " + disk.name, t.substring(t.indexOf(' ') + 1)));
    }
    NodeList nics = (NodeList) x.evaluate("/domain/devices/interface", xml, XPathConstants.NODESET);
    for (int i = 0; i < nics.getLength(); i++) {
      Element nic = (Element) nics.item(i);
      held.put("nic " + x.evaluate("mac/@address", nic).toLowerCase(), x.evaluate("model/@type", nic) + " bridge "
          + x.evaluate("source/@bridge", nic));
    }
    NodeList oem = (NodeList) x.evaluate("/domain/sysinfo/oemStrings/entry", xml, XPathConstants.NODESET);
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < oem.getLength(); i++) {
      strings.add(oem.item(i).getTextContent());
    }
    held.put("oem strings", String.join("\n", strings));
    assertEquals(promised, held, "what libvirt holds for " + domain + " (expected from spec and status)");

    assertEquals("yes", x.evaluate("/domain/os/loader/@secure", xml), "Secure Boot firmware for " + domain);
    Path nvram = Path.of(x.evaluate("/domain/os/nvram", xml));
    String[] poolAndVolume = guest.getStatus().firmware.nvram.split("/", 2);
    assertEquals(pool(poolAndVolume[0]).resolve(poolAndVolume[1]), nvram, "the NVRAM is the volume the status names");
    assertTrue(Files.size(nvram) > 0, "NVRAM " + nvram + " holds the firmware's variables");
    assertEquals("emulator 2.0", x.evaluate("/domain/devices/tpm/backend/@type", xml) + " "
        + x.evaluate("/domain/devices/tpm/backend/@version", xml), "a TPM 2.0 for " + domain);
    Path tpmState = tier.daemon.dir.resolve("lib/swtpm").resolve(guest.getSpec().firmware.uuid.toLowerCase());
    assertTrue(Files.isDirectory(tpmState.resolve("tpm2")), "the running TPM's state on the node: " + tpmState);
  }

  /** The resident memory of the QEMU process of a guest, in MiB; -1 when not found. */
  static long qemuRssMiB(VirtualGuest guest) {
    String name = "guest=" + E2eNode.domainName(guest) + ",";
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(name)).orElse(false))
        .mapToLong(p -> {
          try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                .findFirst().orElse(-1);
          } catch (java.io.IOException e) {
            return -1;
          }
        }).max().orElse(-1);
  }
}
