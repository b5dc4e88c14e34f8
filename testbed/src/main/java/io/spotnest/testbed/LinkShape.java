package io.spotnest.testbed;

/**
 * Emulated properties of a host's link to the lab LAN, applied in both directions with {@code tc
 * netem}.
 *
 * @param rateMbit bandwidth in Mbit/s, 0 for unlimited
 * @param delayMs one-way added latency in milliseconds
 */
public record LinkShape(int rateMbit, double delayMs) {

  public static final LinkShape UNSHAPED = new LinkShape(0, 0);

  public LinkShape {
    if (rateMbit < 0 || rateMbit > 100_000) {
      throw new IllegalArgumentException(
          "link rateMbit must be 0 (unlimited) or 1..100000, was " + rateMbit);
    }
    if (delayMs < 0 || delayMs > 10_000 || Double.isNaN(delayMs)) {
      throw new IllegalArgumentException("link delayMs must be 0..10000, was " + delayMs);
    }
  }

  public boolean unshaped() {
    return rateMbit == 0 && delayMs == 0;
  }

  /** Bytes per second the link carries, or {@link Long#MAX_VALUE} when unlimited. */
  public long bytesPerSecond() {
    return rateMbit == 0 ? Long.MAX_VALUE : rateMbit * 1_000_000L / 8;
  }
}
