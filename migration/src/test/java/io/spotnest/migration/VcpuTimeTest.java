package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VcpuTimeTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void the_share_is_the_vcpus_cpu_time_over_their_wall_time() {
    // two vCPUs over 5 s used 0.5 s: 5 % of their time
    VcpuTime before = new VcpuTime(3 * SECOND, 2, 10 * SECOND);
    VcpuTime after = new VcpuTime(3 * SECOND + SECOND / 2, 2, 15 * SECOND);
    assertEquals(0.05, after.busyShareSince(before), 1e-9);
  }

  @Test
  void a_reading_that_cannot_tell_counts_the_guest_busy_all_the_time() {
    VcpuTime before = new VcpuTime(SECOND, 1, 0);
    assertEquals(1, new VcpuTime(SECOND, 1, 5 * SECOND).busyShareSince(before), "no CPU time");
    assertEquals(1, new VcpuTime(2 * SECOND, 2, 5 * SECOND).busyShareSince(before), "other vCPUs");
    assertEquals(1, new VcpuTime(2 * SECOND, 1, 0).busyShareSince(before), "no time passed");
    assertEquals(1, new VcpuTime(0, 1, 5 * SECOND).busyShareSince(before), "time went back");
    assertEquals(1, new VcpuTime(0, 0, 5 * SECOND).busyShareSince(new VcpuTime(0, 0, 0)));
  }

  @Test
  void the_share_is_at_most_one() {
    // a clock read late: more CPU time than wall time
    assertEquals(
        1, new VcpuTime(7 * SECOND, 1, 5 * SECOND).busyShareSince(new VcpuTime(0, 1, 0)), 0);
  }
}
