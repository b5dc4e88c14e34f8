package io.spotnest.cli;

import io.spotnest.testbed.Shell;
import io.spotnest.testbed.jenkins.AgentSecret;
import io.spotnest.testbed.jenkins.JenkinsTooling;
import io.spotnest.testbed.jenkins.RealJenkins;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The boot check of {@code spotnest image build} against a real Jenkins: starts the war with a
 * temporary JENKINS_HOME and the setup wizard off on 127.0.0.1 (which the VM reaches through QEMU's
 * guestfwd, and nothing outside this machine does), creates an inbound WebSocket agent over REST
 * with a crumb, hands its secret to {@code boot-check.sh --jenkins-port} on stdin (it goes onto the
 * VM's config disk, never into a log or onto a command line), and tells the script once Jenkins
 * shows the node online. Jenkins and the VM are stopped on every way out, Ctrl-C included.
 */
final class JenkinsBootCheck {
  static final String AGENT = "spotnest-image-check";
  private static final String LABEL = "spotnest-image-check";
  private static final String REMOTE_FS = "/var/lib/jenkins-agent/work";
  private static final Duration STARTUP = Duration.ofMinutes(5);
  private static final Duration POLL = Duration.ofMillis(250);

  private final Path war;
  private final Path log;

  /**
   * @param log where Jenkins' own output goes (kept for diagnosis; it holds no secret)
   */
  JenkinsBootCheck(Path war, Path log) {
    this.war = war;
    this.log = log;
  }

  /** Runs {@code script IMAGE_DIR --jenkins-port PORT --name AGENT}; returns its exit code. */
  int run(Path script, Path dir, long timeoutMin, Consumer<String> stdout)
      throws IOException, InterruptedException {
    InetAddress address = loopback(new Shell());
    System.err.println(
        "image: starting Jenkins from "
            + war
            + " on "
            + address.getHostAddress()
            + " (temporary home, setup wizard off; its log: "
            + log
            + ")");
    Files.createDirectories(log.getParent());
    RealJenkins started = RealJenkins.start(war, List.of(), log, STARTUP, address);
    try (Stopper jenkins = new Stopper(started)) {
      System.err.println(
          "image: Jenkins answers on "
              + started.base()
              + " after "
              + started.startup().toSeconds()
              + " s");
      JenkinsTooling admin = new JenkinsTooling(started.login());
      admin.createInboundAgent(AGENT, LABEL, REMOTE_FS);
      AgentSecret secret = admin.agentSecret(AGENT);
      System.err.println(
          "image: agent " + AGENT + " created over REST (inbound, WebSocket); booting the image");
      return ScriptRun.run(
          List.of(
              script.toString(),
              dir.toString(),
              "--jenkins-port",
              String.valueOf(started.base().getPort()),
              "--name",
              AGENT),
          dir,
          timeoutMin,
          stdout,
          System.err::println,
          p -> tellWhenOnline(p, admin, secret));
    }
  }

  /** Gives the script the secret, then {@code online} once Jenkins shows the agent online. */
  private static void tellWhenOnline(Process script, JenkinsTooling admin, AgentSecret secret)
      throws IOException, InterruptedException {
    try (OutputStream stdin = script.getOutputStream()) {
      stdin.write((secret.value() + "\n").getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
      while (script.isAlive()) {
        if (!admin.computer(AGENT).path("offline").asBoolean(true)) {
          System.err.println("image: Jenkins shows agent " + AGENT + " online");
          stdin.write("online\n".getBytes(StandardCharsets.US_ASCII));
          stdin.flush();
          return;
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (IOException scriptEnded) {
      if (script.isAlive()) {
        throw scriptEnded;
      }
      // the script ended (and said why on stderr); its exit code tells the caller
    }
  }

  /**
   * 127.0.0.1, after {@code ip route get} confirmed it is this machine's own loopback address: the
   * only address Jenkins listens on.
   */
  static InetAddress loopback(Shell shell) {
    InetAddress address = InetAddress.getLoopbackAddress();
    String ip = address.getHostAddress();
    String route = shell.run("ip", "-4", "-o", "route", "get", ip).stdout();
    if (!route.startsWith("local " + ip + " dev lo ")) {
      throw new IllegalStateException(
          "ip route get " + ip + " does not say local on lo (" + route.strip() + ")");
    }
    return address;
  }

  /** Stops Jenkins (and deletes its home) once: on close, or on JVM shutdown (Ctrl-C). */
  private static final class Stopper implements AutoCloseable {
    private final RealJenkins jenkins;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread hook;

    Stopper(RealJenkins jenkins) {
      this.jenkins = jenkins;
      this.hook = new Thread(this::stop, "stop-jenkins");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    private void stop() {
      if (!stopped.compareAndSet(false, true)) {
        return;
      }
      try {
        jenkins.close();
        System.err.println("image: Jenkins stopped, its temporary home deleted");
      } catch (IOException | InterruptedException e) {
        System.err.println("image: stopping Jenkins: " + e.getMessage());
      }
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        return; // the hook stops it
      }
      stop();
    }
  }
}
