package io.vguest.domain.xml;

/**
 * {@code <serial>} with its {@code <console>}: a pty, or a file when the console is logged
 * (the path is operator configuration, never tenant input).
 */
public record SerialConsole(String logPath) {

  public void write(XmlWriter xml) {
    String type = logPath == null ? "pty" : "file";
    xml.start("serial", "type", type);
    if (logPath != null) {
      xml.empty("source", "path", logPath);
    }
    xml.empty("target", "port", 0);
    xml.end();
    xml.start("console", "type", type);
    if (logPath != null) {
      xml.empty("source", "path", logPath);
    }
    xml.empty("target", "type", "serial", "port", 0);
    xml.end();
  }

  /** Reads the {@code <serial>} element: a file source is the console log, anything else a pty. */
  public static SerialConsole read(XmlElement serial) {
    XmlElement source = serial.child("source");
    return new SerialConsole("file".equals(serial.attr("type")) && source != null ? source.attr("path") : null);
  }
}
