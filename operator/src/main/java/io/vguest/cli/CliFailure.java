package io.vguest.cli;

import java.io.PrintWriter;

/**
 * Turns a failure of any {@code vguest} command into one line on standard error and an exit code,
 * never a Java stack trace (unless {@code --debug} asks for it): a newcomer reads what went wrong
 * and what to do, not forty lines of frames.
 */
final class CliFailure {

  /** Exit code of a command that failed for a reason other than its input (README: "1 ... or an error"). */
  static final int FAILED = 1;

  static final String LIBVIRT_MISSING = "libvirt's client library (libvirt.so.0) cannot be loaded: install it "
      + "(Debian/Ubuntu: apt-get install libvirt0; Fedora/RHEL: dnf install libvirt-libs), or run bin/vguest as root "
      + "(or with passwordless sudo) to have it installed";

  private CliFailure() {}

  static int report(PrintWriter err, Throwable failure, boolean debug) {
    err.println("vguest: error: " + oneLine(failure) + (debug ? "" : " (--debug shows details)"));
    if (debug) {
      failure.printStackTrace(err);
    }
    err.flush();
    return FAILED;
  }

  /** What went wrong, in one line: the known causes in words, anything else by its own message. */
  static String oneLine(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (libvirtMissing(t)) {
        return LIBVIRT_MISSING;
      }
    }
    Throwable shown = failure;
    while ((shown.getMessage() == null || shown.getMessage().isBlank()) && shown.getCause() != null
        && shown.getCause() != shown) {
      shown = shown.getCause();
    }
    String message = shown.getMessage() == null || shown.getMessage().isBlank()
        ? shown.getClass().getSimpleName() : shown.getMessage();
    return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }

  /** JNA's load failure, or the class libvirt-java could not initialise after it. */
  private static boolean libvirtMissing(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    return t instanceof UnsatisfiedLinkError && message.contains("'virt'")
        || t instanceof NoClassDefFoundError && message.contains("org.libvirt");
  }
}
