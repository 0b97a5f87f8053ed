package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The commands people run: log lines on stderr only, no library notices, failures in one line. */
class CliLoggingTest {

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @AfterEach
  void restore() throws Exception {
    System.setOut(out);
    System.setErr(err);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig(); // logback.xml again, for the next tests
  }

  @Test
  void logLinesGoToStderrAndLibraryNoticesAreNotShown() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    CliLogging.forPeople(false);
    // what fabric8 logs on every call of the kubectl plugin against a v1alpha1 CRD
    LoggerFactory.getLogger("io.fabric8.kubernetes.client.utils.VersionUsageUtils")
        .warn("The client is using resource type 'virtualguests' with unstable version 'v1alpha1'");
    LoggerFactory.getLogger("io.vguest.libvirt.LibvirtHypervisor").info("connected to libvirt at test:///default");
    LoggerFactory.getLogger("io.vguest.cli.ApplyCommand").warn("something a person should see");
    assertEquals("", stdout.toString(StandardCharsets.UTF_8), "stdout carries only what the command prints");
    String logged = stderr.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("something a person should see"), logged);
    assertTrue(!logged.contains("v1alpha1") && !logged.contains("connected to libvirt"), logged);
  }

  @Test
  void aFailureIsOneLineAndDebugAddsTheStackTrace() {
    StringWriter line = new StringWriter();
    RuntimeException failure = new IllegalStateException("cannot reach the cluster\nat https://10.0.0.1:6443",
        new java.io.IOException("connection refused"));
    assertEquals(CliFailure.FAILED, CliFailure.report(new PrintWriter(line), failure, false));
    assertEquals("vguest: error: cannot reach the cluster; at https://10.0.0.1:6443 (--debug shows details)"
        + System.lineSeparator(), line.toString());
    StringWriter debug = new StringWriter();
    CliFailure.report(new PrintWriter(debug), failure, true);
    assertTrue(debug.toString().contains("Caused by: java.io.IOException: connection refused"), debug.toString());
    assertEquals(CliFailure.LIBVIRT_MISSING, CliFailure.oneLine(new RuntimeException(
        new UnsatisfiedLinkError("Unable to load library 'virt':\nlibvirt.so: cannot open shared object file"))));
  }
}
