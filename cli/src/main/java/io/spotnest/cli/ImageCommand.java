package io.spotnest.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotnest image build [--out DIR]}: builds the agent VM image with {@code
 * nested-agent-image/build-agent-image.sh} (cached when its inputs are unchanged), then boots it
 * once under QEMU with {@code nested-agent-image/agent-image/boot-check.sh} until its agent is
 * connected to a controller (a real Jenkins from {@code SPOTNEST_JENKINS_WAR} when set, see {@link
 * JenkinsBootCheck}, else the boot check's test server), and ends with {@code image: path=<file>
 * size_mib=<n> boot_to_agent_s=<n>}. Progress goes to stderr.
 */
@Command(
    name = "image",
    description = "The agent VM image.",
    subcommands = {ImageCommand.Build.class})
final class ImageCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The {@code build} subcommand. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Build the agent image (cached when its inputs are unchanged), boot it once under QEMU until its",
        "agent is connected (to a real Jenkins when SPOTNEST_JENKINS_WAR names a jenkins.war, else to a",
        "test server), and print its size and the boot time."
      })
  static final class Build implements Callable<Integer> {
    private static final Pattern BOOT =
        Pattern.compile("^boot-check: boot_to_agent_s=([0-9.]+)\\b.*");
    private static final long BUILD_TIMEOUT_MIN = 30;
    private static final long BOOT_TIMEOUT_MIN = 15;
    private static final long MIB = 1L << 20;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        converter = OptionValues.WorkDirectory.class,
        description = "Output directory of the image (default: nested-agent-image/out/agent).")
    Path out;

    @Override
    public Integer call() {
      Path root = Path.of(System.getProperty("spotnest.root", ".")).toAbsolutePath().normalize();
      Path images = root.resolve("nested-agent-image");
      Path dir = (out != null ? out : images.resolve("out/agent")).toAbsolutePath().normalize();
      BootController controller = BootController.from(System.getenv());
      try {
        System.err.println("image: building " + dir + " (cached when its inputs are unchanged)");
        int rc =
            ScriptRun.run(
                List.of(images.resolve("build-agent-image.sh").toString()),
                dir,
                BUILD_TIMEOUT_MIN,
                System.err::println,
                System.err::println,
                null);
        if (rc != 0) {
          System.err.println("error: the image build failed (exit " + rc + ")");
          return 1;
        }
        List<String> result = new ArrayList<>();
        Path bootCheck = images.resolve("agent-image/boot-check.sh");
        if (controller instanceof BootController.Jenkins jenkins) {
          rc =
              new JenkinsBootCheck(jenkins.war(), dir.resolve("boot-check-jenkins.log"))
                  .run(bootCheck, dir, BOOT_TIMEOUT_MIN, result::add);
        } else {
          System.err.println(
              "image: booting against the test server (" + BootController.WAR_VARIABLE + " unset)");
          rc =
              ScriptRun.run(
                  List.of(bootCheck.toString(), dir.toString()),
                  dir,
                  BOOT_TIMEOUT_MIN,
                  result::add,
                  System.err::println,
                  null);
        }
        result.forEach(System.err::println);
        String boot =
            result.stream()
                .map(BOOT::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .reduce((a, b) -> b)
                .orElse(null);
        if (rc != 0 || boot == null) {
          System.err.println("error: the boot check failed (exit " + rc + ")");
          return 1;
        }
        Path image = dir.resolve("agent-root.qcow2");
        long sizeMib = (Files.size(image) + MIB - 1) / MIB;
        System.out.println(
            "image: path=" + image + " size_mib=" + sizeMib + " boot_to_agent_s=" + boot);
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        System.err.println("error: interrupted");
        return 130;
      }
    }
  }
}
