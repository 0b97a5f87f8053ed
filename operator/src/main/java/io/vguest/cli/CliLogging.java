package io.vguest.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging of the commands a person runs ({@code apply}, {@code render}, {@code devices}): log lines
 * go to standard error, so that standard output carries only what the command prints (YAML a
 * user redirects into a file); only warnings are shown, and none of the libraries' own notices
 * (fabric8 warns about the {@code v1alpha1} version on every call). {@code --debug} shows all.
 * The node agent ({@code operator}) keeps the logging of logback.xml.
 */
final class CliLogging {

  private CliLogging() {}

  static void forPeople(boolean debug) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        console.stop();
        console.setTarget("System.err");
        console.start();
      }
    }
    root.setLevel(debug ? Level.DEBUG : Level.WARN);
    if (!debug) {
      context.getLogger("io.fabric8").setLevel(Level.ERROR);
      context.getLogger("io.javaoperatorsdk").setLevel(Level.ERROR);
    }
  }
}
