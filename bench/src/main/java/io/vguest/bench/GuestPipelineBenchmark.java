package io.vguest.bench;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.RenderedDomain;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.GuestValidator;
import io.vguest.guest.Violation;
import io.vguest.reconcile.DomainFacts;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pure work an agent does per guest: validate, resolve (stamp what is unset), build the
 * definition, render the domain XML and its hash, and parse a domain XML read back from libvirt.
 * {@code all} is what a new guest costs before libvirt; an unchanged guest on resync costs
 * {@code build}, {@code render} and {@code parse}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuestPipelineBenchmark {

  /** small: the scale harness's Linux guest; large: a Windows guest with eight disks and three NICs. */
  @Param({"small", "large"})
  public String shape;

  private VirtualGuest guest;
  private GuestDeviceProfile profile;
  private VirtualGuest stamped;
  private GuestDefinition definition;
  private String xml;
  private GuestValidator validator;
  private GuestStamper stamper;
  private DefinitionBuilder builder;
  private DomainRenderer renderer;

  @Setup
  public void setUp() {
    if ("small".equals(shape)) {
      guest = BenchGuests.linux("demo", "web-1", "node-a");
      profile = null;
    } else {
      guest = BenchGuests.windows("demo", "erp-1", "node-a");
      profile = BenchGuests.windowsProfile("demo");
    }
    validator = new GuestValidator(BenchGuests.SETTINGS.allowedPools());
    stamper = new GuestStamper(BenchGuests.SETTINGS, BenchGuests.NODE);
    builder = new DefinitionBuilder(BenchGuests.SETTINGS, BenchGuests.NODE);
    renderer = new DomainRenderer();
    List<Violation> violations = validator.validate(guest);
    if (!violations.isEmpty()) {
      throw new IllegalStateException("benchmark guest is invalid: " + violations);
    }
    stamped = stamper.stamp(guest, profile).guest();
    definition = builder.build(stamped, BenchGuests.PATHS);
    xml = renderer.render(definition).xml();
  }

  @Benchmark
  public List<Violation> validate() {
    return validator.validate(guest);
  }

  @Benchmark
  public GuestStamper.Stamp resolve() {
    return stamper.stamp(guest, profile);
  }

  @Benchmark
  public GuestDefinition build() {
    return builder.build(stamped, BenchGuests.PATHS);
  }

  /** Renders the XML twice internally: once without metadata for the hash, once with it. */
  @Benchmark
  public RenderedDomain render() {
    return renderer.render(definition);
  }

  /**
   * Reading a domain back: the agent parses the XML libvirt returns on every sync of a guest
   * (for the hash in its metadata and the facts it reports in status).
   */
  @Benchmark
  public DomainFacts parse() {
    return DomainFacts.parse(xml);
  }

  /** What a new guest costs in pure code: validate, resolve, build, render and hash. */
  @Benchmark
  public RenderedDomain all() {
    validator.validate(guest);
    return renderer.render(builder.build(stamper.stamp(guest, profile).guest(), BenchGuests.PATHS));
  }
}
