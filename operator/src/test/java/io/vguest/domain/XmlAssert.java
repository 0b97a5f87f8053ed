package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.builder.Input;
import org.xmlunit.diff.Diff;
import org.xmlunit.diff.Difference;

/** XML-aware comparison: whitespace and attribute order ignored, each difference named by its XPath. */
final class XmlAssert {

  private XmlAssert() {}

  static void assertSimilarXml(String expected, String actual, String what) {
    Diff diff = DiffBuilder.compare(Input.fromString(expected))
        .withTest(Input.fromString(actual))
        .ignoreWhitespace()
        .checkForSimilar()
        .build();
    if (diff.hasDifferences()) {
      String differences = StreamSupport.stream(diff.getDifferences().spliterator(), false)
          .map(XmlAssert::describe)
          .collect(Collectors.joining("\n  "));
      fail(what + ": XML differs\n  " + differences + "\nactual:\n" + actual);
    }
  }

  private static String describe(Difference difference) {
    var comparison = difference.getComparison();
    String xpath = comparison.getControlDetails().getXPath();
    if (xpath == null) {
      xpath = comparison.getTestDetails().getXPath();
    }
    return xpath + ": expected " + comparison.getControlDetails().getValue() + " but was "
        + comparison.getTestDetails().getValue() + " (" + comparison.getType() + ")";
  }
}
