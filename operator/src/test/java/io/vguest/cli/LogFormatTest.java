package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --log-format json}: one JSON object per line, the formatted message in it. */
class LogFormatTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreDefaultConfiguration() throws Exception {
    context.reset();
    new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
  }

  @Test
  void jsonFormatWritesOneParsableObjectPerEvent() throws Exception {
    LogFormat.configure("json");
    var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    @SuppressWarnings("unchecked")
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("json");
    Encoder<ILoggingEvent> encoder = console.getEncoder();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.vguest.operator.GuestHandler"),
        ch.qos.logback.classic.Level.INFO, "{}: defined domain {}", null, new Object[] {"demo/web-1", "demo_web-1"});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
    JsonNode json = new ObjectMapper().readTree(line);
    assertEquals("INFO", json.get("level").asText());
    assertEquals("io.vguest.operator.GuestHandler", json.get("loggerName").asText());
    assertEquals("demo/web-1: defined domain demo_web-1", json.get("formattedMessage").asText());
  }

  @Test
  void textFormatKeepsTheReadableDefault() {
    LogFormat.configure("text");
    assertTrue(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console") != null);
  }
}
