package io.vguest.domain.xml;

/**
 * The one rule for which characters a value may hold: what XML 1.0 can carry and a terminal
 * prints as it is. The XML writer refuses the rest; the guest validator refuses the same before
 * anything is rendered, and in single-line fields (names, serials, references) also tab and line
 * breaks, which XML carries but which would split a log line or a status message.
 */
public final class XmlChars {

  private XmlChars() {}

  /** Tab, line feed and carriage return: the only control characters XML 1.0 carries. */
  public static boolean isLineBreakOrTab(char ch) {
    return ch == '\t' || ch == '\n' || ch == '\r';
  }

  /** A C0 or C1 control character or DEL. */
  public static boolean isControl(char ch) {
    return ch < 0x20 || (ch >= 0x7F && ch <= 0x9F);
  }

  /** Whether a value holds a control character (tab and line breaks included). */
  public static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * What makes the character at {@code i} unfit, or null: a control character (tab, line feed and
   * carriage return only when {@code lineBreaks} is false), U+FFFE or U+FFFF, or half a surrogate pair.
   */
  public static String problemAt(String value, int i, boolean lineBreaks) {
    char ch = value.charAt(i);
    if (isControl(ch) && !(lineBreaks && isLineBreakOrTab(ch))) {
      return String.format("control character U+%04X", (int) ch);
    }
    if (ch == 0xFFFE || ch == 0xFFFF) {
      return String.format("U+%04X, which is not a character", (int) ch);
    }
    if (Character.isHighSurrogate(ch) && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))
        || Character.isLowSurrogate(ch) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
      return String.format("unpaired surrogate U+%04X", (int) ch);
    }
    return null;
  }
}
