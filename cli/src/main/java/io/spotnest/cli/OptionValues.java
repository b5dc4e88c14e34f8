package io.spotnest.cli;

import io.spotnest.strategy.sim.BuildLengthEstimate;
import io.spotnest.strategy.sim.CopyWish;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.LongFunction;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The domains of the CLI's option values, as picocli converters: a value outside its domain is
 * refused while the command line is parsed, before any command runs, and {@link CliErrors} names
 * the option in one line.
 */
final class OptionValues {
  private OptionValues() {}

  /** A value outside its option's domain; the message reads after the option's name. */
  static final class InvalidValue extends RuntimeException {
    InvalidValue(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A rule that involves the option's value and the command's state, checked when the command
   * starts.
   */
  static ParameterException invalid(CommandSpec spec, String option, Object value, String rule) {
    String message = rule + " (got " + value + ")";
    return new ParameterException(
        spec.commandLine(),
        message,
        new InvalidValue(message),
        spec.findOption(option),
        String.valueOf(value));
  }

  private static InvalidValue outside(String domain, String value) {
    return new InvalidValue(domain + " (got " + value + ")");
  }

  private static long whole(String value, String domain) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw outside(domain, value);
    }
  }

  /** A whole number in [min, max], as a {@code T}. */
  abstract static class WholeIn<T> implements ITypeConverter<T> {
    private final long min;
    private final long max;
    private final String domain;
    private final LongFunction<T> as;

    WholeIn(long min, long max, String domain, LongFunction<T> as) {
      this.min = min;
      this.max = max;
      this.domain = domain;
      this.as = as;
    }

    @Override
    public T convert(String value) {
      long v = whole(value, domain);
      if (v < min || v > max) {
        throw outside(domain, value);
      }
      return as.apply(v);
    }
  }

  /** A whole number in [min, max]. */
  abstract static class IntIn extends WholeIn<Integer> {
    IntIn(int min, int max, String domain) {
      super(min, max, domain, v -> (int) v);
    }
  }

  /** A whole number in [min, max]. */
  abstract static class LongIn extends WholeIn<Long> {
    LongIn(long min, long max, String domain) {
      super(min, max, domain, v -> v);
    }
  }

  /**
   * A finite number above {@code low} (or equal to it when {@code lowIncluded}) and at most {@code
   * high}.
   */
  abstract static class NumberIn implements ITypeConverter<Double> {
    private final double low;
    private final boolean lowIncluded;
    private final double high;
    private final String domain;

    NumberIn(double low, boolean lowIncluded, double high, String domain) {
      this.low = low;
      this.lowIncluded = lowIncluded;
      this.high = high;
      this.domain = domain;
    }

    @Override
    public Double convert(String value) {
      double v;
      try {
        v = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw outside(domain, value);
      }
      if (!Double.isFinite(v) || v > high || v < low || (v == low && !lowIncluded)) {
        throw outside(domain, value);
      }
      return v;
    }
  }

  /** Any whole number (the default for int options without a domain of their own). */
  static final class AnyInt extends IntIn {
    AnyInt() {
      super(Integer.MIN_VALUE, Integer.MAX_VALUE, "must be a whole number");
    }
  }

  /** Any whole number (the default for long options without a domain of their own). */
  static final class AnyLong extends LongIn {
    AnyLong() {
      super(Long.MIN_VALUE, Long.MAX_VALUE, "must be a whole number");
    }
  }

  /** Any finite number (the default for double options without a domain of their own). */
  static final class AnyNumber extends NumberIn {
    AnyNumber() {
      super(-Double.MAX_VALUE, true, Double.MAX_VALUE, "must be a finite number");
    }
  }

  /** 1, 2, 3, ... */
  static final class PositiveInt extends IntIn {
    PositiveInt() {
      super(1, Integer.MAX_VALUE, "must be a positive whole number");
    }
  }

  /** 0, 1, 2, ... */
  static final class NonNegativeInt extends IntIn {
    NonNegativeInt() {
      super(0, Integer.MAX_VALUE, "must be 0 or a positive whole number");
    }
  }

  /** 0, 1, 2, ... */
  static final class NonNegativeLong extends LongIn {
    NonNegativeLong() {
      super(0, Long.MAX_VALUE, "must be 0 or a positive whole number");
    }
  }

  /** A TCP port; 0 lets the system pick a free one. */
  static final class Port extends IntIn {
    Port() {
      super(0, 65_535, "must be a port from 0 (any free one) to 65535");
    }
  }

  /** Hosts of a local lab (what {@code TestbedSpec} accepts). */
  static final class LabHosts extends IntIn {
    LabHosts() {
      super(1, 8, "must be a whole number from 1 to 8");
    }
  }

  /** Virtual CPUs of a lab test guest (the lab machine has few cores). */
  static final class GuestVcpus extends IntIn {
    GuestVcpus() {
      super(1, 8, "must be a number of virtual CPUs from 1 to 8");
    }
  }

  /** A shaped link rate (what {@code LinkShape} accepts); 0 leaves the link unshaped. */
  static final class LinkRateMbit extends IntIn {
    LinkRateMbit() {
      super(0, 100_000, "must be 0 (unshaped) or a rate from 1 to 100000 Mbit/s");
    }
  }

  /** Memory of a guest or a lab host, MiB (1 TiB at most). */
  static final class MemoryMib extends LongIn {
    MemoryMib() {
      super(64, 1L << 20, "must be a memory size from 64 to 1048576 MiB");
    }
  }

  /** Room per host for standby files, GiB (as the plugin's {@code standbyStoreGb}); 0: none. */
  static final class StandbyStoreGib extends LongIn {
    StandbyStoreGib() {
      super(0, 1L << 20, "must be 0 (no standby store) or a size from 1 to 1048576 GiB");
    }
  }

  /** A finite number above 0. */
  static final class PositiveNumber extends NumberIn {
    PositiveNumber() {
      super(0, false, Double.MAX_VALUE, "must be a positive number");
    }
  }

  /** A finite number, 0 or above. */
  static final class NonNegativeNumber extends NumberIn {
    NonNegativeNumber() {
      super(0, true, Double.MAX_VALUE, "must be 0 or a positive number");
    }
  }

  /** A fraction in (0, 1]. */
  static final class Fraction extends NumberIn {
    Fraction() {
      super(0, false, 1, "must be a fraction above 0 and at most 1");
    }
  }

  /** A fraction in (0, 1): both parts non-empty. */
  static final class SplitFraction extends NumberIn {
    SplitFraction() {
      super(0, false, Math.nextDown(1.0), "must be a fraction above 0 and below 1");
    }
  }

  /** Minutes from requesting a host to it taking agents. */
  static final class LaunchMinutes extends NumberIn {
    LaunchMinutes() {
      super(0, false, 120, "must be above 0 and at most 120 minutes");
    }
  }

  /**
   * Builds per hour of a generated workload (above 1000 the workload no longer fits in memory
   * sensibly).
   */
  static final class ArrivalsPerHour extends NumberIn {
    ArrivalsPerHour() {
      super(0, false, 1000, "must be above 0 and at most 1000 builds per hour");
    }
  }

  /**
   * A Jenkins war to start (a zip with WEB-INF/web.xml and a Main-Class); an empty value (the
   * option given bare with {@value BootController#WAR_VARIABLE} unset) names none.
   */
  static final class JenkinsWar implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidValue(
            "needs a jenkins.war: give its path, or set " + BootController.WAR_VARIABLE);
      }
      Path war = path(value).toAbsolutePath().normalize();
      if (!Files.isRegularFile(war)) {
        throw new InvalidValue(value + " is not a file (expected a jenkins.war)");
      }
      if (!BootController.isExecutableWar(war)) {
        throw new InvalidValue(
            value + " is not a Jenkins war (no WEB-INF/web.xml and Main-Class in it)");
      }
      return war;
    }
  }

  /** An existing, readable regular file. */
  static final class ReadableFile implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path p = path(value);
      if (!Files.exists(p)) {
        throw new InvalidValue(value + " does not exist");
      }
      if (Files.isDirectory(p)) {
        throw new InvalidValue(value + " is a directory, not a file");
      }
      if (!Files.isReadable(p)) {
        throw new InvalidValue(value + " cannot be read (permission denied)");
      }
      return p;
    }
  }

  /**
   * A directory that exists or can be created: its nearest existing ancestor is a writable
   * directory.
   */
  static final class WorkDirectory implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path p = path(value).toAbsolutePath().normalize();
      Path existing = p;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (p.equals(existing) && !Files.isDirectory(p)) {
        throw new InvalidValue(value + " is not a directory");
      }
      if (existing != null && !existing.equals(p) && !Files.isDirectory(existing)) {
        throw new InvalidValue(value + " cannot be created: " + existing + " is not a directory");
      }
      if (existing != null && !Files.isWritable(existing)) {
        throw new InvalidValue(value + " cannot be written: " + existing + " is not writable");
      }
      return p;
    }
  }

  /** Which simulated builds ask for a standing copy: all, none or long:&lt;minutes&gt;. */
  static final class CopyWishRule implements ITypeConverter<CopyWish> {
    @Override
    public CopyWish convert(String value) {
      try {
        return CopyWish.parse(value);
      } catch (IllegalArgumentException e) {
        throw new InvalidValue(e.getMessage());
      }
    }
  }

  /** What the simulated strategies know of build lengths: exact, history or conditional. */
  static final class BuildEstimate implements ITypeConverter<BuildLengthEstimate.Mode> {
    @Override
    public BuildLengthEstimate.Mode convert(String value) {
      try {
        return BuildLengthEstimate.Mode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new InvalidValue(e.getMessage());
      }
    }
  }

  /** How the nesting bench runs its VM: tcg (anywhere), or kvm (only with a usable /dev/kvm). */
  static final class Accel implements ITypeConverter<GuestConsoleShell.Accel> {
    static final Path KVM_DEVICE = Path.of("/dev/kvm");

    @Override
    public GuestConsoleShell.Accel convert(String value) {
      return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "tcg" -> GuestConsoleShell.Accel.TCG;
        case "kvm" -> {
          if (!Files.isReadable(KVM_DEVICE) || !Files.isWritable(KVM_DEVICE)) {
            throw new InvalidValue(
                "kvm needs a usable /dev/kvm, which this machine has not (got kvm)");
          }
          yield GuestConsoleShell.Accel.KVM;
        }
        default -> throw outside("must be tcg or kvm", value);
      };
    }
  }

  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new InvalidValue(value + " is not a valid path");
    }
  }
}
