package io.vguest.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects every ERROR, every logged exception and every message about a forbidden request (RBAC)
 * of the JVM (the agents' and the framework's) while open.
 */
final class ErrorLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> errors = new ArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  ErrorLog() {
    setName("error-log");
    setContext(root.getLoggerContext());
    start();
    root.addAppender(this);
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null
        || String.valueOf(event.getFormattedMessage()).toLowerCase(java.util.Locale.ROOT).contains("forbidden")) {
      StringBuilder causes = new StringBuilder();
      for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        causes.append(" (").append(t.getClassName()).append(": ").append(t.getMessage()).append(')');
      }
      errors.add(event.getLevel() + " [" + event.getThreadName() + "] " + event.getLoggerName() + ": "
          + event.getFormattedMessage() + causes);
    }
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
