package io.spotnest.cli;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.MigrationInputs;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.migration.MigrationProgress;
import io.spotnest.migration.MigrationRequest;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.PostCopyPolicy;
import io.spotnest.migration.StandingCopyHandle;
import io.spotnest.migration.StandingCopyRequest;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spotnest bench ...}: measured benchmarks that print ratios from one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (measured in one run).",
    subcommands = {
      BenchCommand.Migration.class,
      BenchCommand.StandingCopy.class,
      BenchCommand.Nesting.class
    })
final class BenchCommand {

  /**
   * The guests' dirty rates, an option of {@code bench migration} and {@code bench standing-copy}.
   */
  static final class DirtyRates {
    @Option(
        names = "--dirty-mib-s",
        split = ",",
        defaultValue = "4,32",
        converter = OptionValues.NonNegativeInt.class,
        description = "dirty rates; the last one should exceed the link rate")
    List<Integer> mibPerSecond;
  }

  /** The lab {@code bench migration} and {@code bench standing-copy} measure on. */
  static TestbedSpec twoHosts(LinkShape link) {
    return new TestbedSpec(2, 2048, link, Path.of("/var/tmp/spotnest"));
  }

  /** The first phase of those benches: the lab, its link, and the {@code cases} to come. */
  static String startingTwoHosts(int rateMbit, String cases) {
    return "starting a lab of 2 hosts, link "
        + (rateMbit == 0 ? "unshaped" : rateMbit + " Mbit/s")
        + "; "
        + cases
        + " to measure ...";
  }

  /** Live migration over a shaped link, per guest size and dirty rate, plus tuning variants. */
  @Command(
      name = "migration",
      mixinStandardHelpOptions = true,
      description = "Migrate test guests of 128/256/512 MiB at two dirty rates over a shaped link.")
  static final class Migration implements Callable<Integer> {
    private final LabControl labs;

    @Option(
        names = "--rate-mbit",
        defaultValue = "200",
        converter = OptionValues.LinkRateMbit.class,
        description = "link rate, default ${DEFAULT-VALUE} Mbit/s")
    int rateMbit;

    @Option(
        names = "--ram-mib",
        split = ",",
        defaultValue = "128,256,512",
        converter = OptionValues.MemoryMib.class,
        description = "guest sizes")
    List<Long> ramMib;

    @Mixin DirtyRates dirtyRates;

    @Option(names = "--no-variants", description = "skip the tuning variants of the summary case")
    boolean noVariants;

    @Option(
        names = "--summary-deadline-bounds",
        defaultValue = "2",
        converter = OptionValues.PositiveInt.class,
        description =
            "the summary case's deadline in physical bounds (RAM / link rate), default ${DEFAULT-VALUE}")
    int summaryDeadlineBounds;

    @Option(
        names = "--cap-mib-s",
        defaultValue = "0",
        converter = OptionValues.NonNegativeLong.class,
        description = "cap the migration stream itself (QEMU max-bandwidth), 0 for none")
    long capMiBps;

    @Option(names = "--no-auto-converge", description = "default cases without auto-converge")
    boolean noAutoConverge;

    @Option(
        names = "--no-copy-storage",
        description = "guests without a workspace disk (memory only)")
    boolean noCopyStorage;

    @Option(
        names = "--vcpus",
        defaultValue = "1",
        converter = OptionValues.GuestVcpus.class,
        description = "virtual CPUs of each test guest, default ${DEFAULT-VALUE}")
    int vcpus;

    /** One measured case. */
    record Case(
        long ramMib,
        int dirtyMibS,
        String tuning,
        MigrationOutcome out,
        long boundMs,
        long pauseMs) {
      /**
       * The command contract, then why a failed case failed. pause_ms is the pause as the
       * build saw it: the longest gap between its 10 ms heartbeats while the move ran (-1 when the
       * guest sent none).
       */
      String line() {
        double ratio = out.total().toMillis() / (double) boundMs;
        String line =
            String.format(
                Locale.ROOT,
                "migration: ram_mib=%d dirty_mib_s=%d total_ms=%d downtime_ms=%d pause_ms=%d bound_ms=%d ratio=%.2f "
                    + "tuning=%s planned_ms=%d",
                ramMib,
                dirtyMibS,
                out.total().toMillis(),
                out.downtime().toMillis(),
                pauseMs,
                boundMs,
                ratio,
                out.tuning().label(),
                out.plan().predictedTotal().toMillis());
        return out.success()
            ? line
            : line
                + " failed="
                + out.failure().map(Enum::name).orElse("?")
                + " why=\""
                + out.message().replace('"', '\'').replace('\n', ' ')
                + "\"";
      }
    }

    @Spec CommandSpec command;
    private Progress progress;
    private int caseCount;
    private int casesStarted;

    Migration(LabControl labs) {
      this.labs = labs;
    }

    @Override
    public Integer call() {
      LinkShape link = new LinkShape(rateMbit, 0);
      List<Integer> dirty = dirtyRates.mibPerSecond;
      List<Case> cases = new ArrayList<>();
      int maxDirty = dirty.stream().max(Integer::compare).orElseThrow();
      progress = Progress.of(command);
      caseCount = ramMib.size() * dirty.size() + 1 + (noVariants ? 0 : 3);
      progress.phase(startingTwoHosts(rateMbit, caseCount + " migrations"));
      Case summary;
      try (LabSession lab = labs.open(twoHosts(link), l -> {})) {
        TestbedHost a = lab.testbed.host(1);
        TestbedHost b = lab.testbed.host(2);
        long measured = lab.measureLink(a, b);
        long boundBytesPerSecond = rateMbit > 0 ? link.bytesPerSecond() : measured;
        MigrationSettings base =
            MigrationSettings.defaults()
                .withBandwidthMiBps(capMiBps)
                .withAutoConverge(!noAutoConverge)
                .withCopyStorage(!noCopyStorage);
        System.out.printf(
            Locale.ROOT,
            "bench: link shaped to %d Mbit/s (%.1f MiB/s); measured %.1f MiB/s; guests of %d vCPU%s%n",
            rateMbit,
            link.bytesPerSecond() / 1048576.0,
            measured / 1048576.0,
            vcpus,
            vcpus == 1 ? "" : "s");
        int n = 0;
        for (long ram : ramMib) {
          for (int d : dirty) {
            cases.add(run(lab, a, b, "b" + (++n), ram, d, "default", base, boundBytesPerSecond));
          }
        }
        // the summary case: the engine's own choice against a deadline of twice the physical bound
        MigrationSettings chosen =
            base.withAutoConverge(true).withPostCopy(PostCopyPolicy.whenNeeded());
        summary = run(lab, a, b, "s", 256, maxDirty, "engine choice", chosen, boundBytesPerSecond);
        cases.add(summary);
        if (!noVariants) {
          MigrationSettings plain = base.withAutoConverge(false);
          cases.add(
              run(lab, a, b, "v1", 256, maxDirty, "plain pre-copy", plain, boundBytesPerSecond));
          cases.add(
              run(
                  lab,
                  a,
                  b,
                  "v2",
                  256,
                  maxDirty,
                  "auto-converge + xbzrle",
                  base.withAutoConverge(true).withCompression(MigrationSettings.Compression.XBZRLE),
                  boundBytesPerSecond));
          cases.add(
              run(
                  lab,
                  a,
                  b,
                  "v3",
                  256,
                  maxDirty,
                  "post-copy after 5 s",
                  plain.withPostCopy(PostCopyPolicy.after(Duration.ofSeconds(5))),
                  boundBytesPerSecond));
        }
      }
      progress.finished("measured " + cases.size() + " migrations");
      System.out.println();
      System.out.println(
          "| RAM MiB | dirty MiB/s | tuning | result | total ms | planned ms | downtime ms | memory MiB | passes | bound ms | ratio |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      for (Case c : cases) {
        System.out.printf(
            Locale.ROOT,
            "| %d | %d | %s | %s | %d | %s | %s | %d | %d | %d | %.2f |%n",
            c.ramMib(),
            c.dirtyMibS(),
            c.tuning(),
            c.out().success() ? "ok" : c.out().failure().orElseThrow(),
            c.out().total().toMillis(),
            c.out().plan().reason().contains("does not converge")
                ? "no convergence"
                : Long.toString(c.out().plan().predictedTotal().toMillis()),
            c.out().postCopy() ? "n/a" : Long.toString(c.out().downtime().toMillis()),
            c.out().memoryBytes() >> 20,
            c.out().iterations(),
            c.boundMs(),
            c.out().total().toMillis() / (double) c.boundMs());
      }
      System.out.println();
      for (Case c : cases) {
        System.out.println(c.line() + "   # " + c.tuning());
      }
      System.out.println(summary.line());
      return cases.stream().allMatch(c -> c.out().success() || c.tuning().equals("plain pre-copy"))
          ? 0
          : 1;
    }

    /**
     * The measured inputs the case's plan was computed from, to tell a misread input from the
     * model.
     */
    static String plannedFrom(MigrationOutcome out) {
      MigrationInputs in = out.plan().inputs();
      return String.format(
          Locale.ROOT,
          "planned from dirty %.1f MiB/s, working set %s%s, non-zero RAM %d MiB, %.1f s left",
          in.dirtyBytesPerSecond() / 1048576.0,
          in.workingSetBytes() < in.ramBytes()
              ? (in.workingSetBytes() >> 20) + " MiB"
              : "not measured",
          in.changedOver().isZero()
              ? ""
              : String.format(
                  Locale.ROOT,
                  ", changed %d MiB in %d s",
                  in.changedBytes() >> 20,
                  in.changedOver().toSeconds()),
          in.nonZeroRamBytes() >> 20,
          in.deadline().toMillis() / 1000.0);
    }

    private Case run(
        LabSession lab,
        TestbedHost a,
        TestbedHost b,
        String id,
        long ram,
        int dirtyMibS,
        String tuning,
        MigrationSettings settings,
        long boundBytesPerSecond) {
      String name = "bench-" + id;
      progress.phase(
          String.format(
              Locale.ROOT,
              "case %d/%d: %d MiB guest dirtying %d MiB/s, %s",
              ++casesStarted,
              caseCount,
              ram,
              dirtyMibS,
              tuning));
      AgentVmSpec vm = lab.startGuest(a, name, ram, dirtyMibS, 3, settings.copyStorage(), vcpus);
      long boundMs = (ram << 20) * 1000 / boundBytesPerSecond;
      Duration deadline =
          tuning.equals("engine choice")
              ? Duration.ofMillis(summaryDeadlineBounds * boundMs)
              : tuning.equals("plain pre-copy") ? Duration.ofSeconds(90) : Duration.ofMinutes(5);
      int conn = lab.connectionOf(name).orElseThrow();
      long startedAt = System.nanoTime();
      MigrationOutcome out =
          lab.engine.migrate(
              new MigrationRequest(
                  vm.name(),
                  a.name(),
                  b.name(),
                  boundBytesPerSecond,
                  Instant.now().plus(deadline),
                  settings,
                  false),
              new MigrationListener() {
                @Override
                public void onProgress(MigrationProgress p) {
                  progress.update("migrating: " + p.toString().strip());
                }
              });
      long pauseMs =
          lab.channel
              .longestBeatGapMillis(conn, startedAt, System.nanoTime(), Duration.ofSeconds(5))
              .orElse(-1);
      Case c = new Case(ram, dirtyMibS, tuning, out, boundMs, pauseMs);
      System.out.println(c.line() + "   # " + tuning + ": " + out + "; " + plannedFrom(out));
      for (TestbedHost h : List.of(a, b)) {
        lab.remove(h.name(), vm.name());
      }
      return c;
    }
  }

  /**
   * A standing copy per dirty rate over a shaped link: how long the flush after a notice takes, the
   * pause, the stream's bandwidth and the guest's step rate before and while the copy stands.
   */
  @Command(
      name = "standing-copy",
      mixinStandardHelpOptions = true,
      description =
          "Keep a standing copy of a 256 MiB test guest at each dirty rate, then flush it on a notice.")
  static final class StandingCopy implements Callable<Integer> {
    private final LabControl labs;

    @Option(
        names = "--rate-mbit",
        defaultValue = "80",
        converter = OptionValues.LinkRateMbit.class,
        description = "link rate, default ${DEFAULT-VALUE} Mbit/s")
    int rateMbit;

    @Mixin DirtyRates dirtyRates;

    @Option(
        names = "--notice-s",
        defaultValue = "30",
        converter = OptionValues.PositiveInt.class,
        description = "the notice's deadline, default ${DEFAULT-VALUE} s")
    int noticeS;

    @Option(
        names = "--stand-s",
        defaultValue = "15",
        converter = OptionValues.PositiveInt.class,
        description = "how long the copy stands after its first passes, default ${DEFAULT-VALUE} s")
    int standS;

    @Spec CommandSpec command;

    StandingCopy(LabControl labs) {
      this.labs = labs;
    }

    @Override
    public Integer call() throws Exception {
      LinkShape link = new LinkShape(rateMbit, 0);
      List<Integer> dirty = dirtyRates.mibPerSecond;
      Progress progress = Progress.of(command);
      progress.phase(startingTwoHosts(rateMbit, dirty.size() + " standing copies"));
      List<String> lines = new ArrayList<>();
      boolean allOk = true;
      try (LabSession lab = labs.open(twoHosts(link), l -> {})) {
        TestbedHost a = lab.testbed.host(1);
        TestbedHost b = lab.testbed.host(2);
        long bytesPerSecond = rateMbit > 0 ? link.bytesPerSecond() : lab.measureLink(a, b);
        int n = 0;
        for (int d : dirty) {
          progress.phase(
              String.format(
                  Locale.ROOT,
                  "case %d/%d: 256 MiB guest dirtying %d MiB/s",
                  ++n,
                  dirty.size(),
                  d));
          String line = measure(lab, a, b, "bench-sc" + n, d, bytesPerSecond, progress);
          allOk &= line.contains(" result=ok") || line.contains(" result=converged_by_itself");
          lines.add(line);
          System.out.println(line);
        }
      }
      progress.finished("measured " + lines.size() + " standing copies");
      return allOk ? 0 : 1;
    }

    private String measure(
        LabSession lab,
        TestbedHost a,
        TestbedHost b,
        String name,
        int dirtyMibS,
        long bytesPerSecond,
        Progress progress)
        throws Exception {
      AgentVmSpec vm = lab.startGuest(a, name, 256, dirtyMibS, 3);
      try {
        double before = stepsPerSecond(lab, name, Duration.ofSeconds(5));
        StandingCopyHandle copy =
            lab.engine.keepStandingCopy(
                new StandingCopyRequest(
                    name,
                    a.name(),
                    b.name(),
                    bytesPerSecond,
                    MigrationSettings.defaults().withAutoConverge(false)),
                MigrationListener.NONE);
        long until = System.nanoTime() + 180_000_000_000L;
        while (copy.lastProgress().map(p -> p.iteration() < 3).orElse(true)
            && !copy.outcome().isDone()
            && System.nanoTime() < until) {
          LabSession.sleep(250);
          copy.lastProgress().ifPresent(p -> progress.update("standing: " + p.toString().strip()));
        }
        double standing = stepsPerSecond(lab, name, Duration.ofSeconds(standS));
        long avg = copy.averageBytesPerSecond();
        boolean stood = !copy.outcome().isDone();
        long start = System.nanoTime();
        MigrationOutcome out =
            copy.flush(Instant.now().plus(Duration.ofSeconds(noticeS)))
                .get(noticeS + 120L, TimeUnit.SECONDS);
        long flushMs = (System.nanoTime() - start) / 1_000_000;
        // a stream that converged by itself (a guest dirtying slower than the link, in bursts) had
        // no flush
        String line =
            String.format(
                Locale.ROOT,
                "standing-copy: ram_mib=256 dirty_mib_s=%d link_mbit=%d notice_s=%d "
                    + "stood=%b flush_ms=%s pause_ms=%d stream_mib_s=%.1f steps_per_s_before=%.2f steps_per_s_standing=%.2f "
                    + "standbys_per_backup=n/a result=%s",
                dirtyMibS,
                rateMbit,
                noticeS,
                stood,
                stood ? Long.toString(flushMs) : "n/a",
                out.downtime().toMillis(),
                avg / 1048576.0,
                before,
                standing,
                !out.success()
                    ? out.failure().map(Enum::name).orElse("?")
                    : stood ? "ok" : "converged_by_itself");
        return out.success()
            ? line
            : line + " why=\"" + out.message().replace('"', '\'').replace('\n', ' ') + "\"";
      } finally {
        for (TestbedHost h : List.of(a, b)) {
          lab.remove(h.name(), vm.name());
        }
      }
    }

    private static double stepsPerSecond(LabSession lab, String vm, Duration window) {
      long first = lab.lastStep(vm);
      long start = System.nanoTime();
      LabSession.sleep(window.toMillis());
      return (lab.lastStep(vm) - first) / ((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * The cost of nesting: the same CPU-bound and I/O-bound build steps ({@link NestingSteps}) run
   * directly on this machine and inside the test guest VM, and the ratio of their wall times (VM /
   * host; 1.0 = no overhead). Each step runs {@code --repeat} times on each side and the fastest
   * run counts, so a moment of contention on a shared machine does not decide the figure.
   */
  @Command(
      name = "nesting",
      mixinStandardHelpOptions = true,
      description = {
        "Run a CPU-bound and an I/O-bound step on this machine and inside the test guest VM, and print",
        "the VM/host time ratios (under tcg here; --accel kvm where /dev/kvm is usable, e.g. on an L1 host)."
      })
  static final class Nesting implements Callable<Integer> {
    private final LabControl labs;

    @Option(
        names = "--cpu-mib",
        defaultValue = "32",
        converter = OptionValues.PositiveInt.class,
        description = "MiB the CPU step hashes (SHA-256), default ${DEFAULT-VALUE}")
    int cpuMib;

    @Option(
        names = "--io-mib",
        defaultValue = "64",
        converter = OptionValues.PositiveInt.class,
        description =
            "MiB the I/O step writes (O_DIRECT, fsync) and reads back, default ${DEFAULT-VALUE}")
    int ioMib;

    @Option(
        names = "--repeat",
        defaultValue = "3",
        converter = OptionValues.PositiveInt.class,
        description =
            "runs of each step on each side (the fastest counts), default ${DEFAULT-VALUE}")
    int repeat;

    @Option(
        names = "--accel",
        defaultValue = "tcg",
        converter = OptionValues.Accel.class,
        description = "how QEMU runs the VM: tcg or kvm, default ${DEFAULT-VALUE}")
    GuestConsoleShell.Accel accel;

    @Spec CommandSpec command;

    Nesting(LabControl labs) {
      this.labs = labs;
    }

    /** One side's fastest times. */
    record Times(Duration cpu, Duration io) {}

    @Override
    public Integer call() throws Exception {
      Progress progress = Progress.of(command);
      progress.phase(
          "starting a shell on this machine and the test guest under "
              + accel.label()
              + " ("
              + repeat
              + " runs of each step on each side) ...");
      NestingSteps steps = new NestingSteps(cpuMib, ioMib);
      Path dir = java.nio.file.Files.createDirectories(Path.of("/var/tmp/spotnest"));
      dir = java.nio.file.Files.createTempDirectory(dir, "bench-nesting-");
      try (TimedShell host = labs.hostShell(dir);
          TimedShell vm = labs.guestShell(accel, dir.resolve("vm-disk.raw"), ioMib + 1)) {
        progress.phase("measuring on this machine ...");
        Times onHost = measure(host, steps.cpu(), steps.io(dir.resolve("host-io.dat").toString()));
        progress.phase("measuring in the VM ...");
        Times inVm = measure(vm, steps.cpu(), steps.io("/dev/vda"));
        progress.finished("measured");
        System.out.println(detail(onHost, inVm));
        System.out.println(line(onHost, inVm));
        return 0;
      } finally {
        try (var files = java.nio.file.Files.list(dir)) {
          for (Path f : files.toList()) {
            java.nio.file.Files.deleteIfExists(f);
          }
        }
        java.nio.file.Files.deleteIfExists(dir);
      }
    }

    private Times measure(TimedShell shell, String cpu, String io) {
      Duration bestCpu = null;
      Duration bestIo = null;
      for (int i = 0; i < repeat; i++) {
        Duration c = shell.time(cpu);
        Duration o = shell.time(io);
        bestCpu = bestCpu == null || c.compareTo(bestCpu) < 0 ? c : bestCpu;
        bestIo = bestIo == null || o.compareTo(bestIo) < 0 ? o : bestIo;
      }
      return new Times(bestCpu, bestIo);
    }

    String detail(Times onHost, Times inVm) {
      return String.format(
          Locale.ROOT,
          "nesting: accel=%s cpu_mib=%d host_cpu_s=%.3f vm_cpu_s=%.3f io_mib=%d host_io_s=%.3f vm_io_s=%.3f repeat=%d",
          accel.label(),
          cpuMib,
          seconds(onHost.cpu()),
          seconds(inVm.cpu()),
          ioMib,
          seconds(onHost.io()),
          seconds(inVm.io()),
          repeat);
    }

    /** The contract line. */
    static String line(Times onHost, Times inVm) {
      return String.format(
          Locale.ROOT,
          "nesting: cpu_ratio=%.2f io_ratio=%.2f",
          seconds(inVm.cpu()) / seconds(onHost.cpu()),
          seconds(inVm.io()) / seconds(onHost.io()));
    }

    private static double seconds(Duration d) {
      return Math.max(d.toNanos(), 1) / 1e9;
    }
  }
}
