package io.spotnest.dashboard;

/** Range checks shared by the dashboard's records. */
final class Values {
  private Values() {}

  static void probability(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in 0..1, got " + v);
    }
  }

  static void nonNegative(String name, double v) {
    if (!(v >= 0)) {
      throw new IllegalArgumentException(name + " must not be negative, got " + v);
    }
  }
}
