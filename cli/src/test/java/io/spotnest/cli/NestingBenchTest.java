package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.LabJanitor;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code bench nesting} over scripted shells (the machine seam): what runs where, which run counts,
 * how the ratios come out, and that nothing is left behind.
 */
class NestingBenchTest {

  /** A shell that answers each command with the next scripted time and records the commands. */
  static final class ScriptedShell implements TimedShell {
    final List<String> commands = new ArrayList<>();
    final Deque<Long> millis;
    boolean closed;

    ScriptedShell(Long... millis) {
      this.millis = new ArrayDeque<>(List.of(millis));
    }

    @Override
    public Duration time(String command) {
      commands.add(command);
      return Duration.ofMillis(millis.removeFirst());
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static final class ScriptedLabs implements LabControl {
    final ScriptedShell host;
    final ScriptedShell vm;
    Path dir;
    Path disk;
    int diskMib;
    GuestConsoleShell.Accel accel;

    ScriptedLabs(ScriptedShell host, ScriptedShell vm) {
      this.host = host;
      this.vm = vm;
    }

    @Override
    public Testbed start(TestbedSpec spec) {
      throw new AssertionError();
    }

    @Override
    public LabSession open(TestbedSpec spec, Consumer<AgentChannelListener.Line> echo) {
      throw new AssertionError();
    }

    @Override
    public LabJanitor janitor() {
      throw new AssertionError();
    }

    @Override
    public TimedShell hostShell(Path dir) {
      this.dir = dir;
      return host;
    }

    @Override
    public TimedShell guestShell(GuestConsoleShell.Accel accel, Path disk, int diskMib) {
      this.accel = accel;
      this.disk = disk;
      this.diskMib = diskMib;
      return vm;
    }
  }

  @Test
  void theFastestRunOfEachStepCountsAndTheRatiosAreVmOverHost() {
    // per run: cpu, io
    ScriptedShell host = new ScriptedShell(500L, 200L, 400L, 250L);
    ScriptedShell vm = new ScriptedShell(9000L, 900L, 8000L, 1000L);
    ScriptedLabs labs = new ScriptedLabs(host, vm);
    CliRun r =
        CliRun.run(labs, "bench", "nesting", "--repeat", "2", "--cpu-mib", "8", "--io-mib", "16");
    assertEquals(0, r.exit(), r.toString());
    List<String> out = r.out().lines().toList();
    assertEquals("nesting: cpu_ratio=20.00 io_ratio=4.50", out.get(out.size() - 1));
    assertEquals(
        "nesting: accel=tcg cpu_mib=8 host_cpu_s=0.400 vm_cpu_s=8.000 io_mib=16 host_io_s=0.200"
            + " vm_io_s=0.900 repeat=2",
        out.get(out.size() - 2));
    NestingSteps steps = new NestingSteps(8, 16);
    assertEquals(
        List.of(steps.cpu(), steps.io("/dev/vda"), steps.cpu(), steps.io("/dev/vda")),
        vm.commands,
        "the same steps in the VM, the I/O one on its scratch disk");
    assertEquals(steps.cpu(), host.commands.get(0), "the same CPU step on the host");
    assertTrue(
        host.commands.get(1).contains("of=" + labs.dir.resolve("host-io.dat") + " "),
        host.commands.get(1));
    assertEquals(labs.dir.resolve("vm-disk.raw"), labs.disk);
    assertEquals(17, labs.diskMib);
    assertEquals(GuestConsoleShell.Accel.TCG, labs.accel);
    assertTrue(host.closed && vm.closed, "both shells closed");
    assertFalse(Files.exists(labs.dir), "the work directory is removed");
  }

  @Test
  void theStepsUseTheSameBusyboxAppletsOnBothSidesWithDirectIo() {
    NestingSteps s = new NestingSteps(32, 64);
    assertEquals(
        "busybox dd if=/dev/zero bs=1M count=32 2>/dev/null | busybox sha256sum >/dev/null",
        s.cpu());
    assertTrue(
        s.io("/dev/vda")
                .startsWith(
                    "busybox dd if=/dev/zero of=/dev/vda bs=1M count=64 oflag=direct conv=fsync")
            && s.io("/dev/vda").contains("iflag=direct"),
        s.io("/dev/vda"));
  }
}
