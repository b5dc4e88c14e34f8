package io.spotnest.cli;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.EngineLimits;
import io.spotnest.migration.FailureKind;
import io.spotnest.migration.MigrationEngine;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.migration.MigrationProgress;
import io.spotnest.migration.MigrationRequest;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.PostCopyPolicy;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.migration.StandingCopyHandle;
import io.spotnest.migration.StandingCopyRequest;
import io.spotnest.migration.VmStatus;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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

  /**
   * A contract line's closing {@code why="..."} field: {@code message} on one line, its double
   * quotes made single.
   */
  static String why(String message) {
    return " why=\"" + message.replace('"', '\'').replace('\n', ' ') + "\"";
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
       * The issue's command contract, then why a failed case failed. pause_ms is the pause as the
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
            : line + " failed=" + out.failure().map(Enum::name).orElse("?") + why(out.message());
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
        System.out.println(learnedLink(lab, a, b));
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
     * What the engine learned of the link from its last finished pre-copy move, against the figures
     * it starts from: the planner's starting efficiency is a constant that these lines measure.
     */
    static String learnedLink(LabSession lab, TestbedHost a, TestbedHost b) {
      return lab.engine
          .linkFigures(a.name(), b.name())
          .map(
              f ->
                  String.format(
                      Locale.ROOT,
                      "bench: link %s -> %s learned efficiency %.3f, set-up %.1f s (planned from %.2f, %.1f s"
                          + " before its first pre-copy move)",
                      a.name(),
                      b.name(),
                      f.efficiency(),
                      f.setup().toMillis() / 1000.0,
                      LabSession.FIRST_MOVE_EFFICIENCY,
                      LabSession.SETUP.toMillis() / 1000.0))
          .orElse(
              "bench: link "
                  + a.name()
                  + " -> "
                  + b.name()
                  + " learned nothing (no finished pre-copy move)");
    }

    /**
     * The measured inputs the case's plan was computed from, to tell a misread input from the
     * model.
     */
    static String plannedFrom(MigrationOutcome out) {
      return "planned from " + out.plan().inputs().describe();
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
      lab.removeFrom(List.of(a, b), vm.name());
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

    @Option(
        names = "--max-standbys",
        defaultValue = "0",
        converter = OptionValues.NonNegativeInt.class,
        description =
            "most file-backed standbys filled onto the backup, 0 for as many 256 MiB guests as a lab"
                + " host's memory holds (the series also stops when a source guest stops making"
                + " progress: 2 cores under TCG), default ${DEFAULT-VALUE}")
    int maxStandbys;

    @Option(
        names = "--through-max",
        description =
            "measure every set up to --max-standbys, also after one missed the 30 s (the capacity"
                + " is still the largest set before the first miss)")
    boolean throughMax;

    @Spec CommandSpec command;

    /** The flush time a backup's set of standbys must stay within (the issue's bound). */
    static final Duration FLUSH_LIMIT = Duration.ofSeconds(30);

    /**
     * One set of file-backed standbys on one backup, flushed by one notice.
     *
     * @param standbys how many
     * @param flushMs from the notice until the last of them settled
     * @param minStepsPerSecond the slowest guest's build steps per second while the set stood
     * @param moved how many VMs of the set run on the backup
     * @param refused how many flushes the engine refused up front (the VM kept on its source)
     * @param onOneHost how many VMs of the set run on exactly one host with nothing of them left on
     *     the other, once the set settled
     * @param why the first failure, empty when all moved
     */
    record StandbySet(
        int standbys,
        long flushMs,
        double minStepsPerSecond,
        int moved,
        int refused,
        int onOneHost,
        String why) {

      /** Every VM of the set runs on the backup. */
      boolean allMoved() {
        return moved == standbys;
      }

      /** Within the bound: every VM moved and the flush took at most {@link #FLUSH_LIMIT}. */
      boolean within() {
        return allMoved() && flushMs <= FLUSH_LIMIT.toMillis();
      }

      /** The guests kept making progress while the set stood. */
      boolean progressed() {
        return minStepsPerSecond > 0;
      }

      /**
       * {@code ok}, {@code over_30_s} (all moved, too slowly), {@code refused} (every VM on exactly
       * one host, the ones not moved refused up front and kept on their source) or {@code failed}.
       */
      String result() {
        if (allMoved()) {
          return within() ? "ok" : "over_" + FLUSH_LIMIT.toSeconds() + "_s";
        }
        return moved + refused == standbys && onOneHost == standbys ? "refused" : "failed";
      }
    }

    /**
     * How many standbys one backup holds, from the sets measured with 1, 2, ... standbys in order:
     * {@code standbys_per_backup=<n>}, the largest set whose flush stayed within {@link
     * #FLUSH_LIMIT} when a larger one did not; {@code standbys_per_backup>=<n> limit=<reason>} when
     * the series stopped at a machine limit first ({@code max} reached, or guests that stopped
     * making progress) — the backup may hold more.
     */
    static String capacity(List<StandbySet> sets, int max, String maxReason) {
      int held = 0;
      for (StandbySet set : sets) {
        if (!set.progressed()) {
          return "standbys_per_backup>="
              + held
              + " limit=guests_stalled_at_"
              + set.standbys()
              + "_source_guests";
        }
        if (!set.within()) {
          return "standbys_per_backup=" + held;
        }
        held = set.standbys();
      }
      return "standbys_per_backup>=" + held + " limit=" + (held >= max ? maxReason : "not_run");
    }

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
      List<Long> ramFlushMs = new ArrayList<>();
      List<StandbySet> sets = new ArrayList<>();
      long hostMib = twoHosts(link).hostMemoryMib();
      int max = maxStandbys > 0 ? maxStandbys : (int) (hostMib / 256);
      String maxReason =
          maxStandbys > 0
              ? "max_standbys_option_" + max
              : "lab_host_memory_" + hostMib + "_mib_holds_" + max + "_guests";
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
          Measured m = measure(lab, a, b, "bench-sc" + n, d, bytesPerSecond, progress);
          allOk &=
              m.line().contains(" result=ok") || m.line().contains(" result=converged_by_itself");
          lines.add(m.line());
          ramFlushMs.add(m.flushMs());
          progress.update("measured (RAM): " + m.line());
        }
        int d = dirty.get(0);
        for (int k = 1; k <= max; k++) {
          progress.phase(
              String.format(
                  Locale.ROOT,
                  "standbys: %d file-backed standby(s) of 256 MiB guests dirtying %d MiB/s on %s",
                  k,
                  d,
                  b.name()));
          StandbySet set = measureSet(lab, a, b, k, d, bytesPerSecond, progress);
          sets.add(set);
          System.out.println(setLine(set, d));
          if (!set.progressed() || (!set.within() && !throughMax)) {
            break;
          }
        }
      }
      String capacity = capacity(sets, max, maxReason);
      for (String line : lines) {
        System.out.println(line.replace(CAPACITY, capacity));
      }
      System.out.println(costLine(ramFlushMs.get(0), sets, dirty.get(0), capacity));
      progress.finished(
          "measured " + lines.size() + " standing copies and " + sets.size() + " sets of standbys");
      return allOk ? 0 : 1;
    }

    /** The placeholder of a case line's capacity, filled in once the sets are measured. */
    static final String CAPACITY = "standbys_per_backup=@";

    /** A measured case: its line and its flush time (-1 when it had none). */
    record Measured(String line, long flushMs) {}

    private String setLine(StandbySet set, int dirtyMibS) {
      String line =
          String.format(
              Locale.ROOT,
              "standing-copy-standbys: standbys=%d memory=file ram_mib=256 dirty_mib_s=%d link_mbit=%d "
                  + "notice_s=%d flush_ms=%d min_steps_per_s_standing=%.2f moved=%d refused=%d"
                  + " on_one_host=%d result=%s",
              set.standbys(),
              dirtyMibS,
              rateMbit,
              noticeS,
              set.flushMs(),
              set.minStepsPerSecond(),
              set.moved(),
              set.refused(),
              set.onOneHost(),
              set.result());
      return set.why().isEmpty() ? line : line + why(set.why());
    }

    /**
     * What file backing costs: one file-backed standby's flush against one in RAM (the first case)
     * at the same dirty rate in the same run, and the capacity.
     */
    static String costLine(long ramFlushMs, List<StandbySet> sets, int dirtyMibS, String capacity) {
      long fileFlushMs = sets.isEmpty() || !sets.get(0).allMoved() ? -1 : sets.get(0).flushMs();
      String ratio =
          ramFlushMs > 0 && fileFlushMs >= 0
              ? String.format(Locale.ROOT, "%.2f", fileFlushMs / (double) ramFlushMs)
              : "n/a";
      return String.format(
          Locale.ROOT,
          "standing-copy-file-cost: dirty_mib_s=%d ram_flush_ms=%s file_flush_ms=%s file_vs_ram_flush=%s %s",
          dirtyMibS,
          ramFlushMs >= 0 ? Long.toString(ramFlushMs) : "n/a",
          fileFlushMs >= 0 ? Long.toString(fileFlushMs) : "n/a",
          ratio,
          capacity);
    }

    /**
     * Fills {@code k} file-backed standbys of 256 MiB guests on {@code a} onto {@code b}, lets them
     * stand, then flushes all of them on one notice and times it until the last settled.
     */
    private StandbySet measureSet(
        LabSession lab,
        TestbedHost a,
        TestbedHost b,
        int k,
        int dirtyMibS,
        long bytesPerSecond,
        Progress progress)
        throws Exception {
      List<String> names = new ArrayList<>();
      List<StandingCopyHandle> copies = new ArrayList<>();
      // the engine's default of two moves per host and link would queue a third standby: the set
      // gets an engine whose slots hold all of it, so only the backup and its link limit it
      EngineLimits d = EngineLimits.defaults();
      MigrationEngine engine =
          lab.engine(
              new EngineLimits(
                  Math.max(k, d.movesPerHost()),
                  Math.max(k, d.movesPerLink()),
                  d.queueWait(),
                  d.safetyMargin()));
      try {
        for (int i = 1; i <= k; i++) {
          String name = "bench-sb" + k + "-" + i;
          progress.update("starting " + name);
          lab.startGuest(a, name, 256, dirtyMibS, 3, true, 1, true);
          names.add(name);
        }
        for (String name : names) {
          copies.add(
              engine.keepStandingCopy(
                  copyRequest(name, a, b, bytesPerSecond).withStandbyMemory(StandbyMemory.FILE),
                  MigrationListener.NONE));
        }
        awaitFirstPasses(
            copies,
            Duration.ofMinutes(5),
            () ->
                progress.update(
                    "standing: "
                        + copies.stream()
                            .map(
                                c -> c.lastProgress().map(p -> "pass " + p.iteration()).orElse("-"))
                            .toList()));
        List<Long> first = names.stream().map(lab::lastStep).toList();
        long t0 = System.nanoTime();
        LabSession.sleep(Math.min(standS, 10) * 1000L);
        double secs = (System.nanoTime() - t0) / 1e9;
        double minRate = Double.MAX_VALUE;
        for (int i = 0; i < names.size(); i++) {
          minRate = Math.min(minRate, (lab.lastStep(names.get(i)) - first.get(i)) / secs);
        }
        Instant notice = Instant.now();
        long start = System.nanoTime();
        List<CompletableFuture<MigrationOutcome>> outs = new ArrayList<>();
        for (StandingCopyHandle c : copies) {
          outs.add(c.flush(notice.plus(Duration.ofSeconds(noticeS))));
        }
        CompletableFuture.allOf(outs.toArray(new CompletableFuture<?>[0]))
            .get(noticeS + 120L, TimeUnit.SECONDS);
        long flushMs = (System.nanoTime() - start) / 1_000_000;
        String why = "";
        int moved = 0;
        int refused = 0;
        for (var f : outs) {
          MigrationOutcome o = f.get();
          if (o.success() && o.runningOn().equals(Optional.of(b.name()))) {
            moved++;
            continue;
          }
          if (o.failure().equals(Optional.of(FailureKind.PLAN_MISSES_DEADLINE))
              && o.runningOn().equals(Optional.of(a.name()))) {
            refused++;
          }
          why = why.isEmpty() ? o.toString().strip() : why;
        }
        int onOneHost = onOneHost(lab, names, List.of(a, b), progress);
        return new StandbySet(k, flushMs, minRate, moved, refused, onOneHost, why);
      } finally {
        for (StandingCopyHandle c : copies) {
          if (!c.outcome().isDone()) {
            c.stop().get(120, TimeUnit.SECONDS);
          }
        }
        for (String name : names) {
          lab.removeFrom(List.of(a, b), name);
        }
      }
    }

    /**
     * How many of {@code names} run on exactly one of {@code hosts} with nothing of them on the
     * others (a host that does not answer counts against), asked every second for up to a minute (a
     * copy left behind by a call that returned late is removed after the outcome).
     */
    private static int onOneHost(
        LabSession lab, List<String> names, List<TestbedHost> hosts, Progress progress) {
      long until = System.nanoTime() + 60_000_000_000L;
      while (true) {
        int n = 0;
        for (String name : names) {
          int running = 0;
          int present = 0;
          try {
            for (TestbedHost h : hosts) {
              VmStatus st = lab.status(h.name(), name);
              running += st.running() ? 1 : 0;
              present += st.present() ? 1 : 0;
            }
          } catch (RuntimeException e) {
            continue; // a host that does not answer: not known to be on one host
          }
          n += running == 1 && present == 1 ? 1 : 0;
        }
        if (n == names.size() || System.nanoTime() > until) {
          return n;
        }
        progress.update(n + " of " + names.size() + " on exactly one host");
        LabSession.sleep(1000);
      }
    }

    private Measured measure(
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
                copyRequest(name, a, b, bytesPerSecond), MigrationListener.NONE);
        awaitFirstPasses(
            List.of(copy),
            Duration.ofMinutes(3),
            () ->
                copy.lastProgress()
                    .ifPresent(p -> progress.update("standing: " + p.toString().strip())));
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
                    + CAPACITY
                    + " result=%s",
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
        return new Measured(
            out.success() ? line : line + why(out.message()),
            stood && out.success() ? flushMs : -1);
      } finally {
        lab.removeFrom(List.of(a, b), vm.name());
      }
    }

    /**
     * The bench's standing copy of {@code vm} from {@code a} onto {@code b}: plain pre-copy (no
     * auto-converge) at the link's {@code bytesPerSecond}.
     */
    private static StandingCopyRequest copyRequest(
        String vm, TestbedHost a, TestbedHost b, long bytesPerSecond) {
      return new StandingCopyRequest(
          vm,
          a.name(),
          b.name(),
          bytesPerSecond,
          MigrationSettings.defaults().withAutoConverge(false));
    }

    /**
     * Waits until each of {@code copies} has had its first three passes or ended, {@code within} at
     * the most; {@code look} runs after each 250 ms wait.
     */
    private static void awaitFirstPasses(
        List<StandingCopyHandle> copies, Duration within, Runnable look) {
      long until = System.nanoTime() + within.toNanos();
      while (copies.stream()
              .anyMatch(
                  c ->
                      c.lastProgress().map(p -> p.iteration() < 3).orElse(true)
                          && !c.outcome().isDone())
          && System.nanoTime() < until) {
        LabSession.sleep(250);
        look.run();
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

    /** The issue's contract line. */
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
