package io.vguest.identity;

/**
 * The SMBIOS system serial a guest shows on a node, chosen by its serial policy: the one stamped
 * for it (unique), the node's (host), or none; and the chassis serial, which carries the node's
 * serial beside a unique one when the cluster exposes it.
 *
 * @param serial the system serial, or null for none
 * @param chassisSerial the chassis serial, or null for none
 * @param problem why the guest cannot be defined yet ("field: reason"), or null
 */
public record SystemSerial(String serial, String chassisSerial, String problem) {

  /**
   * @param stamped the serial stamped in the guest's spec (spec.firmware.serial), or null
   * @param hostSerial the node's serial ({@link HostSerialSource}), or null when it has none
   * @param node the node's name, for the message
   * @param exposeChassis whether the node's serial goes into the chassis serial of unique guests
   *     (the cluster allows it and the node's libvirt supports it)
   */
  public static SystemSerial choose(SerialPolicy policy, String stamped, String hostSerial, String node,
      boolean exposeChassis) {
    String serial = switch (policy) {
      case UNIQUE -> stamped;
      case HOST -> hostSerial;
      case NONE -> null;
    };
    String problem = null;
    if (policy.stampsSerial() && serial == null) {
      problem = "spec.firmware.serial: not stamped yet";
    }
    if (policy == SerialPolicy.HOST && serial == null) {
      problem = "spec.firmware.serialPolicy: host, but node " + node
          + " has no readable serial (machine-id missing or malformed and no host uuid); use unique or fix the node";
    }
    String chassis = policy.stampsSerial() && exposeChassis ? hostSerial : null;
    return new SystemSerial(serial, chassis, problem);
  }
}
