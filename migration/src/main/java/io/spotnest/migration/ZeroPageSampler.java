package io.spotnest.migration;

import java.util.SplittableRandom;

/**
 * Estimates how much of a guest's RAM holds non-zero pages, the part a migration's first pass sends
 * in full (QEMU sends a zero page as a header of a few bytes), by reading a random sample of guest
 * pages and counting those that are all zero.
 *
 * <p>The figure is the sampled non-zero fraction plus one standard error, times RAM: a sample of
 * {@value #DEFAULT_SAMPLES} pages (one standard error is at most 1.6 % of RAM; 256 read the lab's
 * 256 MiB guest 10-20 MiB above what QEMU's first pass sent) errs on the side of sending more.
 * Guest-physical addresses follow the PC layout: RAM below 2 GiB is mapped from address 0, RAM
 * above it from 4 GiB when the guest has 2816 MiB or more; a page that cannot be read counts as
 * non-zero.
 */
final class ZeroPageSampler {

  /** Reads one guest-physical page; returns false when the address cannot be read. */
  interface PageReader {
    boolean read(long physicalAddress, byte[] page);
  }

  static final int PAGE = 4096;
  static final int DEFAULT_SAMPLES = 1024;
  private static final long GIB = 1L << 30;
  private static final long SPLIT_FROM = 2816L << 20;

  private final int samples;
  private final SplittableRandom random;

  ZeroPageSampler(int samples, long seed) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be positive, was " + samples);
    }
    this.samples = samples;
    this.random = new SplittableRandom(seed);
  }

  /** Bytes of the guest's {@code ramBytes} estimated to hold non-zero pages. */
  long nonZeroBytes(long ramBytes, PageReader reader) {
    long pages = Math.max(1, ramBytes / PAGE);
    byte[] page = new byte[PAGE];
    int nonZero = 0;
    for (int i = 0; i < samples; i++) {
      long index = random.nextLong(pages);
      if (!reader.read(physical(index * PAGE, ramBytes), page) || !zero(page)) {
        nonZero++;
      }
    }
    double f = nonZero / (double) samples;
    double upper = Math.min(1.0, f + Math.sqrt(Math.max(f * (1 - f), 1.0 / samples) / samples));
    return (long) (upper * ramBytes);
  }

  /** The guest-physical address of byte {@code offset} of guest RAM. */
  static long physical(long offset, long ramBytes) {
    long low = ramBytes < SPLIT_FROM ? ramBytes : 2 * GIB;
    return offset < low ? offset : 4 * GIB + (offset - low);
  }

  private static boolean zero(byte[] page) {
    for (byte b : page) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
