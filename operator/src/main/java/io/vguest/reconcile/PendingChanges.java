package io.vguest.reconcile;

import io.vguest.devices.DeviceChoices;
import io.vguest.devices.VifModel;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.xml.Domain;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Names the spec fields behind the difference between the defined domain and the wanted one, for
 * people: coarse, never used to decide anything. A typed diff of two domain models: the one read
 * from the XML the domain holds and the one the renderer wrote for the stamped guest. Falls back
 * to {@code spec} when the difference is somewhere it does not look.
 */
final class PendingChanges {

  /** Named when nothing more specific is found. */
  static final String WHOLE_SPEC = "spec";

  private PendingChanges() {}

  static List<String> between(Domain definedDomain, Domain wantedDomain) {
    return between(new DomainFacts(definedDomain), new DomainFacts(wantedDomain));
  }

  static List<String> between(DomainFacts defined, DomainFacts wanted) {
    Set<String> names = new LinkedHashSet<>();
    compare(names, defined.memoryKiB(), wanted.memoryKiB(), "spec.resources.memory");
    compare(names, defined.vcpus(), wanted.vcpus(), "spec.resources.cpus");
    compare(names, defined.machine(), wanted.machine(), "spec.machineType");
    compare(names, defined.kernelBoot(), wanted.kernelBoot(), "spec.kernelBoot");
    compare(names, defined.uuid(), wanted.uuid(), "spec.firmware.uuid");
    compare(names, defined.clockOffset(), wanted.clockOffset(), "spec.osFamily");
    identity(names, defined.metadata(), wanted.metadata());
    if (!Objects.equals(defined.serial(), wanted.serial()) && !names.contains("spec.firmware.serialPolicy")) {
      names.add("spec.firmware.serial");
    }
    Set<String> deviceChanges = devices(defined.metadata(), wanted.metadata());
    names.addAll(deviceChanges);
    disks(names, defined, wanted, deviceChanges);
    interfaces(names, defined, wanted, deviceChanges);
    if (!Objects.equals(defined.oemStrings(), wanted.oemStrings())
        || !Objects.equals(defined.chassisSerial(), wanted.chassisSerial())) {
      // tags of disks and interfaces, or node facts; named only when nothing else explains it
      if (names.isEmpty()) {
        names.add(WHOLE_SPEC);
      }
    }
    if (names.isEmpty()) {
      names.add(WHOLE_SPEC);
    }
    return List.copyOf(names);
  }

  private static void identity(Set<String> names, GuestMetadata defined, GuestMetadata wanted) {
    if (defined == null || wanted == null || defined.identity() == null || wanted.identity() == null) {
      return;
    }
    compare(names, defined.identity().serialPolicy(), wanted.identity().serialPolicy(), "spec.firmware.serialPolicy");
  }

  private static Set<String> devices(GuestMetadata defined, GuestMetadata wanted) {
    Set<String> names = new LinkedHashSet<>();
    if (defined == null || wanted == null || defined.devices() == null || wanted.devices() == null) {
      return names;
    }
    Map<String, String> before = defined.devices().asMap();
    Map<String, String> after = wanted.devices().asMap();
    for (String property : DeviceChoices.PROPERTIES) {
      if (!property.equals("machineType") && !Objects.equals(before.get(property), after.get(property))) {
        names.add("spec.devices." + property);
      }
    }
    return names;
  }

  /**
   * Disks added, removed, re-sourced or re-serialled; a bus change not explained by spec.devices;
   * the rescue disk coming, going or changing. Compared regardless of order: libvirt groups the
   * disks of one bus together in the XML it stores, so its order may differ from the rendered one.
   */
  private static void disks(Set<String> names, DomainFacts defined, DomainFacts wanted, Set<String> deviceChanges) {
    List<String> rescueBefore = sorted(defined, true, DomainFacts.DiskFact::withoutBus);
    List<String> rescueAfter = sorted(wanted, true, DomainFacts.DiskFact::withoutBus);
    if (!rescueBefore.equals(rescueAfter)) {
      names.add("spec.rescue");
    }
    boolean rescueToggled = rescueBefore.isEmpty() != rescueAfter.isEmpty();
    Function<DomainFacts.DiskFact, DomainFacts.DiskFact> comparable = rescueToggled
        ? DomainFacts.DiskFact::withoutBusAndBootOrder : DomainFacts.DiskFact::withoutBus;
    if (!sorted(defined, false, comparable).equals(sorted(wanted, false, comparable))) {
      names.add("spec.disks");
      return;
    }
    Function<DomainFacts.DiskFact, Object> withBus = d -> comparable.apply(d) + " on " + d.bus();
    boolean busChanged = !sorted(defined, false, withBus).equals(sorted(wanted, false, withBus));
    boolean explained = deviceChanges.stream().anyMatch(n -> n.endsWith("Bus"));
    if (busChanged && !explained) {
      names.add("spec.disks");
    }
  }

  /** The rescue disk (or every other disk) of a domain, each made comparable, as a sorted list. */
  private static List<String> sorted(DomainFacts facts, boolean rescue,
      Function<DomainFacts.DiskFact, ?> comparable) {
    return facts.disks().stream().filter(d -> d.rescue() == rescue).map(d -> String.valueOf(comparable.apply(d)))
        .sorted().toList();
  }

  private static void interfaces(Set<String> names, DomainFacts defined, DomainFacts wanted,
      Set<String> deviceChanges) {
    List<DomainFacts.NicFact> before = defined.interfaces().stream().map(DomainFacts.NicFact::withoutModel).toList();
    List<DomainFacts.NicFact> after = wanted.interfaces().stream().map(DomainFacts.NicFact::withoutModel).toList();
    if (!before.equals(after)) {
      names.add("spec.interfaces");
      return;
    }
    boolean modelChanged = !models(defined).equals(models(wanted));
    if (modelChanged && !deviceChanges.contains("spec.devices.vifModel")) {
      names.add("spec.interfaces");
    }
  }

  private static List<VifModel> models(DomainFacts facts) {
    return facts.interfaces().stream().map(DomainFacts.NicFact::model).toList();
  }

  private static void compare(Set<String> names, Object before, Object after, String name) {
    if (!Objects.equals(before, after)) {
      names.add(name);
    }
  }
}
