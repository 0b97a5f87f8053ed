package io.vguest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.domain.RenderedDomain;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each benchmark method once per shape, outside JMH: the guests are valid and render. */
class GuestPipelineBenchmarkTest {

  @Test
  void everyShapeValidatesResolvesAndRenders() {
    for (String shape : List.of("small", "large")) {
      GuestPipelineBenchmark benchmark = new GuestPipelineBenchmark();
      benchmark.shape = shape;
      benchmark.setUp();
      assertEquals(List.of(), benchmark.validate(), shape);
      assertTrue(benchmark.resolve().changed(), shape);
      RenderedDomain rendered = benchmark.all();
      assertEquals(benchmark.render(), rendered, shape + ": rendering is deterministic");
      assertTrue(rendered.xml().startsWith("<domain"), shape);
      assertTrue(rendered.hash().startsWith("sha256:"), shape);
    }
  }
}
