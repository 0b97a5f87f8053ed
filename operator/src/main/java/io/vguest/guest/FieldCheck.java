package io.vguest.guest;

import io.fabric8.kubernetes.api.model.Quantity;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.devices.DeviceProblem;
import io.vguest.domain.xml.XmlChars;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects the violations of one guest or profile; each check names the field, the bad value
 * (quoted, shortened when long) and what is allowed. Shared by the validators of each concern.
 */
final class FieldCheck {

  static final int SHOWN_VALUE_MAX = 64;
  static final Pattern DNS_LABEL = Pattern.compile(Patterns.DNS_LABEL);
  static final Pattern DNS_SUBDOMAIN = Pattern.compile(Patterns.DNS_SUBDOMAIN);
  static final Pattern POOL_OBJECT_NAME = Pattern.compile(Patterns.POOL_OBJECT_NAME);
  static final Pattern DISK_SERIAL = Pattern.compile(Patterns.DISK_SERIAL);
  static final Pattern MAC = Pattern.compile(Patterns.MAC);
  static final Pattern TAG = Pattern.compile(Patterns.TAG);
  static final String DNS_LABEL_RULE = "a DNS label (lower-case letters, digits, '-')";
  static final String SERIAL_RULE = "letters, digits, '_', '.', '+' and '-'";
  static final String TAG_RULE = "letters, digits, '_', '.' and '-'";

  final List<Violation> violations = new ArrayList<>();
  /** The namespace of the guest being checked (pools and volumes are granted per namespace). */
  String namespace = "default";

  void add(String field, String message) {
    violations.add(new Violation(field, message));
  }

  void add(DeviceProblem problem) {
    add(problem.field(), problem.message());
  }

  void invalid(String field, String value, String rule) {
    add(field, "Invalid value: " + quote(value) + ": " + rule);
  }

  /**
   * Free text: refuses control characters and what XML cannot carry ({@link XmlChars}), naming the
   * first one and its position; {@code lineBreaks} allows tab, line feed and carriage return.
   */
  void text(String field, String value, boolean lineBreaks) {
    for (int i = 0; i < value.length(); i++) {
      String problem = XmlChars.problemAt(value, i, lineBreaks);
      if (problem != null) {
        invalid(field, value, "must not contain control characters or characters XML cannot carry (" + problem
            + " at position " + i + ")" + (lineBreaks ? "; tab and line breaks are allowed" : ""));
        return;
      }
    }
  }

  /**
   * Notes that {@code field} holds {@code value} (compared by {@code key}); a field with a key seen
   * before is a duplicate, and the message names the first.
   */
  void unique(Map<String, String> seen, String key, String value, String field, String what, String rule) {
    if (key == null) {
      return;
    }
    String first = seen.putIfAbsent(key, field);
    if (first != null) {
      add(field, "Duplicate value: " + quote(value) + ": " + first + " has the same " + what + "; " + rule);
    }
  }

  /** A map key that names a disk or interface (a DNS label); true when it is one. */
  boolean key(String field, String key, String what) {
    if (DNS_LABEL.matcher(key).matches() && key.length() <= Patterns.DNS_LABEL_MAX) {
      return true;
    }
    invalid(field, key, "every key must be " + what + ": " + DNS_LABEL_RULE + " of at most "
        + Patterns.DNS_LABEL_MAX + " characters");
    return false;
  }

  void required(String field, String value) {
    if (value == null) {
      add(field, "Required value");
    }
  }

  void maxLength(String field, String value, int max) {
    if (value != null && value.length() > max) {
      add(field, "Too long: " + quote(value) + " has " + value.length() + " characters: may not be more than " + max);
    }
  }

  /** Checks a length-limited string against a pattern; true when it is absent or fine. */
  boolean name(String field, String value, Pattern pattern, int max, String allowed) {
    if (value == null) {
      return true;
    }
    int before = violations.size();
    if (XmlChars.hasControl(value)) {
      invalid(field, value, "must not contain control characters; allowed: " + allowed);
    } else if (!value.isEmpty() && !pattern.matcher(value).matches()) {
      invalid(field, value, "must be " + allowed + " (pattern " + pattern.pattern() + ")");
    } else if (value.isEmpty()) {
      invalid(field, value, "must not be empty; allowed: " + allowed);
    }
    maxLength(field, value, max);
    return violations.size() == before;
  }

  void quantity(String field, Quantity quantity, BigDecimal min, BigDecimal max, String minText, String maxText) {
    String text = quantity.toString();
    BigDecimal amount;
    try {
      amount = Quantity.getAmountInBytes(quantity);
    } catch (RuntimeException e) {
      invalid(field, text, "not a quantity; write a number with a unit such as 512Mi, 2Gi or 1Ti");
      return;
    }
    if (amount.compareTo(min) < 0 || amount.compareTo(max) > 0) {
      invalid(field, text, "must be between " + minText + " and " + maxText);
    }
  }

  /** {@code amount} times 1024 to the {@code power}: 16 Mi is bytes(16, 2). */
  static BigDecimal bytes(long amount, int power) {
    return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(1024).pow(power));
  }

  /** A value as messages show it: quoted, control characters escaped, shortened when long. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > SHOWN_VALUE_MAX ? value.substring(0, SHOWN_VALUE_MAX - 3) + "..." : value;
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < shown.length(); i++) {
      char ch = shown.charAt(i);
      if (ch == '"' || ch == '\\') {
        out.append('\\').append(ch);
      } else if (XmlChars.problemAt(shown, i, false) != null) {
        out.append(String.format("\\u%04x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return out.append('"').toString();
  }
}
