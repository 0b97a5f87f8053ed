package io.vguest.guest;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.GuestDeviceProfileSpec;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.Resources;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a guest or profile the way the API server checks it with the CRD's schema and CEL rules,
 * plus what those cannot express: quantity ranges, control characters in any string, bus-specific
 * serial lengths when the bus comes from {@code spec.devices}, and the pools this node allows.
 * Every string that reaches the domain XML is checked, so that the XML writer never has to refuse
 * one: control characters (C0, DEL and C1), U+FFFE, U+FFFF and unpaired surrogates
 * ({@link io.vguest.domain.xml.XmlChars}).
 *
 * <p>One validator per concern does the work: {@link MetadataValidator}, {@link FirmwareValidator},
 * {@link DiskValidator} (with {@link VolumeValidator}), {@link NicValidator},
 * {@link IdentityValidator} and {@link IdentityFieldsValidator}, {@link DeviceChoicesValidator}; the
 * device rules themselves live in {@link io.vguest.devices.DeviceRules}. This class keeps the order
 * in which violations are reported.
 *
 * <p>Pure: no I/O. Every message names the field, the bad value (quoted, shortened when long) and
 * what is allowed.
 */
public final class GuestValidator {

  static final BigDecimal MIN_MEMORY = FieldCheck.bytes(16, 2);        // 16Mi
  static final BigDecimal MAX_MEMORY = FieldCheck.bytes(4, 4);         // 4Ti
  private static final Pattern MACHINE_TYPE = Pattern.compile(Patterns.MACHINE_TYPE);
  private static final String MACHINE_TYPE_RULE = "a QEMU machine type or alias such as q35, pc or pc-q35-7.2";

  private final DiskValidator disks;
  private final FirmwareValidator firmware;

  /**
   * @param allowedPools the libvirt pools disks of every namespace may use on this node; {@code null}
   *     to leave pools unchecked
   */
  public GuestValidator(Set<String> allowedPools) {
    this(allowedPools == null ? null : PoolGrants.everyNamespace(allowedPools));
  }

  private GuestValidator(PoolGrants pools) {
    VolumeValidator volumes = new VolumeValidator(pools);
    this.disks = new DiskValidator(volumes);
    this.firmware = new FirmwareValidator(volumes);
  }

  /** A validator that checks pools per namespace and volumes that belong to another namespace. */
  public static GuestValidator forPools(PoolGrants pools) {
    return new GuestValidator(Objects.requireNonNull(pools, "pools"));
  }

  public List<Violation> validate(VirtualGuest guest) {
    FieldCheck c = new FieldCheck();
    if (guest == null) {
      c.add("", "Required value: no VirtualGuest");
      return c.violations;
    }
    MetadataValidator.metadata(c, guest.getMetadata());
    String namespace = guest.getMetadata() == null ? null : guest.getMetadata().getNamespace();
    c.namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
    VirtualGuestSpec spec = guest.getSpec();
    if (spec == null) {
      c.add("spec", "Required value");
      return c.violations;
    }
    c.required("spec.nodeName", spec.nodeName);
    c.name("spec.nodeName", spec.nodeName, FieldCheck.DNS_SUBDOMAIN, Patterns.DNS_SUBDOMAIN_MAX,
        "a DNS subdomain (a node name)");
    if (spec.profile != null && spec.profile.contains("/")) {
      c.invalid("spec.profile", spec.profile, "a plain GuestDeviceProfile name from the guest's own namespace, "
          + "without a namespace");
    } else {
      c.name("spec.profile", spec.profile, FieldCheck.DNS_SUBDOMAIN, Patterns.DNS_SUBDOMAIN_MAX,
          "the name of a GuestDeviceProfile in the guest's namespace");
    }
    if (spec.displayName != null) {
      c.text("spec.displayName", spec.displayName, true);
      c.maxLength("spec.displayName", spec.displayName, Patterns.DISPLAY_NAME_MAX);
    }
    resources(c, spec.resources);
    c.name("spec.machineType", spec.machineType, MACHINE_TYPE, Patterns.MACHINE_TYPE_MAX, MACHINE_TYPE_RULE);
    FirmwareValidator.firmware(c, spec.firmware);
    firmware.kernelBoot(c, spec.kernelBoot);
    disks.disks(c, spec);
    NicValidator.interfaces(c, spec.interfaces);
    IdentityValidator.uniqueIdentities(c, spec);
    if (spec.devices != null) {
      DeviceChoicesValidator.devices(c, "spec.devices", spec.devices);
    }
    DeviceChoicesValidator.noIdeOnQ35(c, spec);
    FirmwareValidator.firmwareChoices(c, spec);
    disks.rescue(c, spec.rescue, spec.devices);
    IdentityValidator.identity(c, spec.identity);
    c.violations.addAll(IdentityFieldsValidator.validate(spec));
    return c.violations;
  }

  public List<Violation> validate(GuestDeviceProfile profile) {
    FieldCheck c = new FieldCheck();
    if (profile == null) {
      c.add("", "Required value: no GuestDeviceProfile");
      return c.violations;
    }
    MetadataValidator.metadata(c, profile.getMetadata());
    GuestDeviceProfileSpec spec = profile.getSpec();
    if (spec == null) {
      return c.violations;
    }
    DeviceChoicesValidator.devices(c, "spec", spec);
    c.name("spec.machineType", spec.machineType, MACHINE_TYPE, Patterns.MACHINE_TYPE_MAX, MACHINE_TYPE_RULE);
    DeviceChoicesValidator.noIdeOnQ35(c, "spec", spec.machineType, spec);
    spec.toFirmwareChoices().problems(spec.machineType)
        .forEach(p -> c.add(p.field().replace("spec.firmware.", "spec."), p.message()));
    return c.violations;
  }

  private static void resources(FieldCheck c, Resources resources) {
    if (resources == null) {
      c.add("spec.resources", "Required value: cpus and memory");
      return;
    }
    if (resources.cpus == null) {
      c.add("spec.resources.cpus", "Required value: 1 to " + Resources.MAX_CPUS);
    } else if (resources.cpus < 1 || resources.cpus > Resources.MAX_CPUS) {
      c.add("spec.resources.cpus", "Invalid value: " + resources.cpus + ": must be between 1 and " + Resources.MAX_CPUS);
    }
    if (resources.memory == null) {
      c.add("spec.resources.memory", "Required value: a quantity from 16Mi to 4Ti, e.g. 2Gi");
    } else {
      c.quantity("spec.resources.memory", resources.memory, MIN_MEMORY, MAX_MEMORY, "16Mi", "4Ti");
    }
  }
}
