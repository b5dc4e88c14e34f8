package io.spotnest.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns libvirt's dirty-rate readings into a rate and, when it shows, a working set. In
 * page-sampling mode QEMU hashes 512 sampled pages per GiB of RAM, so each sampled page that
 * changed stands for {@value #MIB_PER_SAMPLE} MiB, and it truncates the result to whole MiB/s: a
 * reading of r over p seconds means ⌈r·p/2⌉ changed samples (a one-second reading of 1 or 2 is one
 * changed sample; 0 is none).
 *
 * <p>The rate is the changed samples of the short readings, plus one, times 2 MiB over the seconds
 * measured, after clipping each reading at what a steady guest would rarely exceed, the median plus
 * twice its square root plus two samples a second (about the 99th percentile of a Poisson count): a
 * burst in one second (the guest's page cache flushed, a build step started) no longer doubles a
 * slow guest's rate, while the added sample keeps a count of 0 or 1 from reading as a guest that
 * dirties (almost) nothing.
 *
 * <p>The working set comes from the longer readings ({@link #addSpan}, one or more of one period,
 * each over pages QEMU draws afresh): a guest that keeps rewriting W bytes changes about W·(1 −
 * e^(−r·p/W)) of them in p seconds (random rewrites; a guest cycling over W changes min(W, r·p),
 * for which this reads high, the safe side). When their mean changed fewer samples than the rate
 * predicts by more than two standard deviations of the sampling noise of both (the longer readings'
 * noise taken at the count predicted, so that a low count by chance does not narrow its own test),
 * W is solved from the mean and two standard deviations of the mean are added; otherwise it is not
 * known. A guest for which the rate predicts fewer than {@value
 * #SPAN_SAMPLES_TO_SHOW_A_WORKING_SET} changed samples in a longer reading never shows one (its
 * shortfall is mostly chance). A small guest has few sampled pages (128 for 256 MiB), so one longer
 * reading counts its working set within about 15 % only: {@link #wantsAnotherSpan} asks for more
 * until the mean is within {@value #SPAN_NOISE_PERCENT} % (up to {@value #MOST_SPANS} for that
 * guest, three for a 1 GiB guest rewriting a quarter of its memory).
 */
final class DirtyRateReadings {

  static final int MIB_PER_SAMPLE = 2;

  /**
   * Changed samples that read a rate within about 10 % (one standard deviation): the count is
   * Poisson (on the lab, 90 one-second readings of a 4 MiB/s guest had variance/mean 0.95), and a
   * move over a link four times the rate is about 0.6 x as uncertain as the rate.
   */
  static final int ENOUGH_SAMPLES = 100;

  private static final long SAMPLE_BYTES = MIB_PER_SAMPLE * 1048576L;

  /**
   * Samples the rate must predict for the longer reading before its shortfall can show a working
   * set: with fewer, a count of 0-2 by chance (about 1 % of moves when 8 are due) solved a working
   * set of nothing and planned a 4 MiB/s guest's move as one pass (CI: 0.69 x its time).
   */
  static final int SPAN_SAMPLES_TO_SHOW_A_WORKING_SET = 30;

  /**
   * One standard deviation of the longer readings' mean changed count, in percent of it, above
   * which another longer reading is wanted: with one the bench's 256 MiB guest's 64 MiB working set
   * read 57-95 MiB (run to run, two standard deviations added), and the plans of its auto-converge
   * moves, where every pass re-sends the working set, 1.08-1.56 x the moves; with the mean of three
   * (10 %) 78-102 MiB, and 1.24-1.61 x.
   */
  static final int SPAN_NOISE_PERCENT = 5;

  /**
   * The most longer readings averaged: eight bring a 256 MiB guest's count within 5.4 % and take
   * about 42 s, within the minute the bench's measurement may take.
   */
  static final int MOST_SPANS = 8;

  /** The longest period a longer reading is made over ({@link #longerSpanWanted}). */
  static final int LONGEST_SPAN_SECONDS = 20;

  private final List<long[]> readings = new ArrayList<>();
  private final List<Long> spans = new ArrayList<>();
  private long spanSeconds;

  /** A short (one-second) reading: counted in the rate. */
  void add(DirtyRateReading r) {
    long period = Math.max(1, measured(r).periodSeconds());
    readings.add(new long[] {samples(r, period), period});
  }

  /**
   * A longer reading, which shows the working set. Readings of one period are averaged; one over a
   * longer period ({@link #longerSpanWanted}) starts a new series in their place.
   */
  void addSpan(DirtyRateReading r) {
    long period = Math.max(1, measured(r).periodSeconds());
    if (!spans.isEmpty() && period < spanSeconds) {
      throw new IllegalArgumentException(
          "a longer reading over " + period + " s after readings over " + spanSeconds + " s");
    }
    if (period > spanSeconds) {
      spans.clear();
    }
    spanSeconds = period;
    spans.add(samples(r, period));
  }

  /**
   * The period of a longer reading worth making instead of more of this one, or 0: twice the
   * current one, at most {@value #LONGEST_SPAN_SECONDS} s, when the longer readings' count is one
   * to plan with, no working set shows, and the guest changed less than half of its sampled pages.
   * Such a guest may cycle over a working set in about the window: it then changes all of it, as
   * the rate predicts, and the shortfall that shows the working set appears only over a longer
   * window (PlanAccuracyLabTest: 14 MiB/s over 64 MiB planned as if all 256 MiB were rewritten,
   * 3.49 x its time).
   */
  int longerSpanWanted(long ramBytes) {
    if (spans.isEmpty()
        || 2 * spanSeconds > LONGEST_SPAN_SECONDS
        || changedInSpanBytes(ramBytes).isEmpty()
        || workingSetBytes(ramBytes).isPresent()
        || spanMean() >= 0.5 * allSamples(ramBytes)) {
      return 0;
    }
    return (int) (2 * spanSeconds);
  }

  /**
   * Whether another longer reading is worth its time for a guest of {@code ramBytes}: its count is
   * one to plan with ({@link #changedInSpanBytes}), fewer than {@value #MOST_SPANS} were made, and
   * one standard deviation of their mean's sampling noise is above {@value #SPAN_NOISE_PERCENT} %
   * of it.
   */
  boolean wantsAnotherSpan(long ramBytes) {
    if (spans.isEmpty() || spans.size() >= MOST_SPANS || changedInSpanBytes(ramBytes).isEmpty()) {
      return false;
    }
    double mean = spanMean();
    return mean <= 0
        || Math.sqrt(binomialNoise(mean, ramBytes) / spans.size())
            > SPAN_NOISE_PERCENT / 100.0 * mean;
  }

  /** The variance of a changed count near {@code count} among the sampled pages of the guest. */
  private static double binomialNoise(double count, long ramBytes) {
    double all = allSamples(ramBytes);
    double p = Math.min(1.0, count / all);
    return all * p * (1 - p);
  }

  private static double allSamples(long ramBytes) {
    return Math.max(1.0, ramBytes / (double) SAMPLE_BYTES);
  }

  private double spanMean() {
    return spans.stream().mapToLong(Long::longValue).average().orElse(-1);
  }

  /**
   * Whether another one-second reading is worth its second: fewer than {@value #ENOUGH_SAMPLES}
   * samples changed so far (a relative error above 15 %), the rate may be (read, plus two standard
   * errors) at least a quarter of the link's {@code linkBytesPerSecond} (below that the plan hardly
   * depends on it), and fewer than {@code maxReadings} were taken.
   */
  boolean wantsMore(long linkBytesPerSecond, int maxReadings) {
    if (readings.size() >= maxReadings || linkBytesPerSecond <= 0) {
      return false;
    }
    long changed = readings.stream().mapToLong(r -> r[0]).sum();
    // the rate could be two standard errors higher than read: a low reading by chance must not
    // skip the readings that would show it
    double upper =
        bytesPerSecond() + 2 * Math.sqrt(changed + 1.0) * SAMPLE_BYTES / (double) seconds();
    return changed < ENOUGH_SAMPLES && upper >= 0.25 * linkBytesPerSecond;
  }

  /** The rate in bytes per second (0 without readings). */
  long bytesPerSecond() {
    return (long) (samplesPerSecond() * SAMPLE_BYTES);
  }

  /**
   * The rate to plan a move with, with its working set, for a guest of {@code ramBytes}. The
   * reading itself, not a bound above it: the sampled rate already sits on the safe side (on the
   * lab it read the 4 MiB/s guest at 4.5 MiB/s over 90 s while QEMU's passes behaved as 3.6-4.0
   * MiB/s), and planning one standard error above it put the plans at 1.25-1.30 x their moves.
   */
  DirtyRate rate(long ramBytes) {
    OptionalLong changed = changedInSpanBytes(ramBytes);
    return new DirtyRate(
        bytesPerSecond(),
        workingSetBytes(ramBytes),
        changed.orElse(0),
        changed.isPresent() ? Duration.ofSeconds(spanSeconds) : Duration.ZERO);
  }

  /**
   * What the longer readings saw changed, their mean with two standard deviations of its sampling
   * noise added (the safe side, as the working set), never more than {@code ramBytes}, when the
   * rate predicts at least {@value #SPAN_SAMPLES_TO_SHOW_A_WORKING_SET} changed samples in it (with
   * fewer its count is too noisy to plan with: a slow guest's 3 s reading of 0 or 1 samples where 6
   * were due). What a guest changes in a window grows ever more slowly with the window, so it
   * bounds what a window changes without the working set's model: a shorter one at most this much,
   * a longer one at most this much per span.
   */
  OptionalLong changedInSpanBytes(long ramBytes) {
    if (spans.isEmpty() || samplesPerSecond() * spanSeconds < SPAN_SAMPLES_TO_SHOW_A_WORKING_SET) {
      return OptionalLong.empty();
    }
    double mean = spanMean();
    double upper = mean + 2 * Math.sqrt(binomialNoise(mean, ramBytes) / spans.size());
    return OptionalLong.of(Math.min(ramBytes, Math.round(upper * SAMPLE_BYTES)));
  }

  /**
   * The working set, when the longer reading shows one (see the class comment), never more than
   * {@code ramBytes}.
   */
  OptionalLong workingSetBytes(long ramBytes) {
    double rate = samplesPerSecond();
    long seconds = seconds();
    if (spans.isEmpty() || rate <= 0) {
      return OptionalLong.empty();
    }
    double spanSamples = spanMean();
    int n = spans.size();
    double expected = rate * spanSeconds;
    if (expected < SPAN_SAMPLES_TO_SHOW_A_WORKING_SET) {
      return OptionalLong.empty(); // too few samples due for their shortfall to mean anything
    }
    // the test asks whether a guest without a working set could have changed this few: the
    // longer reading's noise is that of the count the rate predicts, not of the (low) count seen
    double predictedNoise = binomialNoise(expected, ramBytes) / n;
    double expectedNoise = Math.pow(spanSeconds / (double) seconds, 2) * rate * seconds;
    if (expected - spanSamples <= 2 * Math.sqrt(predictedNoise + expectedNoise)) {
      return OptionalLong.empty(); // no fewer than the rate predicts, within the sampling noise
    }
    // W·(1 − e^(−expected/W)) grows with W from 0 towards `expected`: bisect for the W that changes
    // the samples seen, then add two standard deviations of their mean
    double lo = spanSamples;
    double hi = 1000 * expected;
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (mid * (1 - Math.exp(-expected / mid)) < spanSamples) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double changedNoise = binomialNoise(spanSamples, ramBytes) / n;
    long bytes = (long) Math.ceil((hi + 2 * Math.sqrt(changedNoise)) * SAMPLE_BYTES);
    return bytes >= ramBytes ? OptionalLong.empty() : OptionalLong.of(Math.max(1, bytes));
  }

  private long seconds() {
    return readings.stream().mapToLong(r -> r[1]).sum();
  }

  /** Changed samples a second, outliers clipped, with one sample added over the whole time. */
  private double samplesPerSecond() {
    long seconds = seconds();
    if (seconds == 0) {
      return 0;
    }
    double median = median(readings.stream().mapToDouble(r -> r[0] / (double) r[1]).toArray());
    double clip = median + 2 * Math.sqrt(median) + 2;
    double samples = 1;
    for (long[] r : readings) {
      samples += Math.min(r[0], clip * r[1]);
    }
    return samples / seconds;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static long samples(DirtyRateReading r, long period) {
    return (r.mibPerSecond() * period + MIB_PER_SAMPLE - 1) / MIB_PER_SAMPLE;
  }

  private static DirtyRateReading measured(DirtyRateReading r) {
    if (!r.measured()) {
      throw new IllegalArgumentException("the dirty-rate calculation has not finished: " + r);
    }
    return r;
  }
}
