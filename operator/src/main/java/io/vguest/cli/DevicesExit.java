package io.vguest.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Exit codes of {@code vguest devices} (and so of {@code kubectl vguest devices}). Codes 3 to 6 mean
 * what they mean for Nova's {@code nova-manage image_property set}. The README's table is checked
 * against this list by a test.
 */
public enum DevicesExit {
  OK(0, "success, also when nothing needed changing"),
  ERROR(1, "unexpected error: the cluster cannot be reached, access is denied, ..."),
  USAGE(2, "usage error: unknown option, missing NAME, PROPERTY or --property"),
  GUEST_RUNNING(3, "the guest is not stopped (Running, Paused or Unknown) and --when-stopped was not given"),
  NOT_KEY_VALUE(4, "an argument of --property is not k=v, or names a property twice"),
  UNKNOWN_PROPERTY(5, "the property is not one of machineType, diskBus, cdromBus, floppyBus, rescueBus, inputBus, "
      + "pointerModel, rngModel, scsiModel, videoModel, vifModel"),
  VALUE_NOT_ALLOWED(6, "the value is not allowed for the property"),
  INCOMPATIBLE(7, "the value does not fit the guest's other devices, disks or machine type"),
  GUEST_NOT_FOUND(8, "no VirtualGuest of that name in the namespace"),
  REJECTED(9, "the API server refused the change: the guest changed meanwhile (run the command again) or the "
      + "CRD's schema refused it");

  private final int code;
  private final String meaning;

  DevicesExit(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** Adds the exit code list to a command's help. */
  public static final class Help implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      Map<String, String> codes = new LinkedHashMap<>();
      for (DevicesExit exit : values()) {
        codes.put(Integer.toString(exit.code), exit.meaning);
      }
      spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
      return spec;
    }
  }
}
