package io.vguest.guest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build of vguest carries, as written into every domain it defines. */
public final class OperatorVersion {

  private static final String VERSION = load();

  private OperatorVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = OperatorVersion.class.getResourceAsStream("/vguest-version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
