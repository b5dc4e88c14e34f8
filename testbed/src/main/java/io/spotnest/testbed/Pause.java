package io.spotnest.testbed;

/**
 * Sleeps, turning an interrupt into a {@link TestbedException} (with the interrupt flag restored).
 */
final class Pause {

  private Pause() {}

  static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted", e);
    }
  }
}
