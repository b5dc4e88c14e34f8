package io.spotnest.testbed.jenkins;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Jenkins started from a war on 127.0.0.1 (or a lab address of the caller's choosing) with a
 * fresh JENKINS_HOME: setup wizard off, no update-site or statistics traffic, no inbound TCP agent
 * port, an admin account and a read-only one (random passwords, held in memory and handed to
 * Jenkins in its environment) and nothing for anonymous users.
 */
public final class RealJenkins implements AutoCloseable {
  public static final String USER = "spotnest-test";

  /** A second account that may read Jenkins but not administer it. */
  static final String VIEWER = "spotnest-viewer";

  /**
   * Creates both accounts and locks Jenkins down before it serves its first page. Core has no
   * per-user authorization strategy (that is the matrix-auth plugin), so the script grants with
   * core's own {@code SparseACL}: ADMINISTER to the admin, READ to the viewer, nothing to anyone
   * else.
   */
  private static final String SECURITY_SCRIPT =
      """
      import hudson.security.*
      import jenkins.model.Jenkins
      import org.acegisecurity.acls.sid.PrincipalSid

      class SpotNestTestAuthorization extends AuthorizationStrategy {
        ACL getRootACL() {
          def acl = new SparseACL(null)
          acl.add(new PrincipalSid('%1$s'), Jenkins.ADMINISTER, true)
          acl.add(new PrincipalSid('%2$s'), Jenkins.READ, true)
          return acl
        }
        Collection<String> getGroups() { return [] }
      }

      def jenkins = Jenkins.get()
      def realm = new HudsonPrivateSecurityRealm(false)
      realm.createAccount('%1$s', System.getenv('SPOTNEST_TEST_PASSWORD'))
      realm.createAccount('%2$s', System.getenv('SPOTNEST_TEST_VIEWER_PASSWORD'))
      jenkins.securityRealm = realm
      jenkins.authorizationStrategy = new SpotNestTestAuthorization()
      jenkins.save()
      """
          .formatted(USER, VIEWER);

  private final Path home;
  private final Path log;
  private final Process process;
  private final URI base;
  private final String password;
  private final String viewerPassword;
  private final Duration startup;

  private RealJenkins(
      Path home,
      Path log,
      Process process,
      URI base,
      String password,
      String viewerPassword,
      Duration startup) {
    this.home = home;
    this.log = log;
    this.process = process;
    this.base = base;
    this.password = password;
    this.viewerPassword = viewerPassword;
    this.startup = startup;
  }

  /**
   * Starts Jenkins on 127.0.0.1 with {@code plugins} installed and waits until /login answers 200.
   *
   * @param log where Jenkins' own output goes (kept after {@link #close()}, for diagnosis)
   */
  public static RealJenkins start(Path war, List<Path> plugins, Path log, Duration timeout)
      throws IOException, InterruptedException {
    return start(war, plugins, log, timeout, InetAddress.getLoopbackAddress());
  }

  /**
   * Starts Jenkins listening on {@code address} only (the caller has checked it is a loopback or
   * lab address) and waits until /login answers 200 there.
   */
  public static RealJenkins start(
      Path war, List<Path> plugins, Path log, Duration timeout, InetAddress address)
      throws IOException, InterruptedException {
    Path home = Files.createTempDirectory("spotnest-jenkins-home");
    Path pluginDir = Files.createDirectories(home.resolve("plugins"));
    for (Path plugin : plugins) {
      // .jpi is the name Jenkins expects for a plugin it did not bundle itself
      String name = plugin.getFileName().toString().replaceFirst("\\.hpi$", ".jpi");
      Files.copy(plugin, pluginDir.resolve(name));
    }
    String password = randomPassword();
    String viewerPassword = randomPassword();
    Files.writeString(
        Files.createDirectories(home.resolve("init.groovy.d")).resolve("security.groovy"),
        SECURITY_SCRIPT);
    String host = address.getHostAddress();
    int port = freePort(address);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx768m",
            "-Djava.awt.headless=true",
            "-Djenkins.install.runSetupWizard=false",
            "-Dhudson.model.UpdateCenter.never=true",
            "-Dhudson.model.DownloadService.never=true",
            "-Dhudson.model.UsageStatistics.disabled=true",
            // lets Jenkins write the init script's authorization strategy into config.xml
            "-Dhudson.remoting.ClassFilter=SpotNestTestAuthorization",
            // agents connect over WebSocket on the HTTP port; no TCP agent listener
            "-Djenkins.model.Jenkins.slaveAgentPort=-1",
            "-Djenkins.model.Jenkins.slaveAgentPortEnforce=true",
            "-jar",
            war.toString(),
            "--httpListenAddress=" + host,
            "--httpPort=" + port));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("JENKINS_HOME", home.toString());
    // the init script reads the password from the environment: never a file or the command line
    builder.environment().put("SPOTNEST_TEST_PASSWORD", password);
    builder.environment().put("SPOTNEST_TEST_VIEWER_PASSWORD", viewerPassword);
    long started = System.nanoTime();
    Process process = builder.start();
    URI base = URI.create("http://" + host + ":" + port + "/");
    try {
      awaitLogin(process, base, log, timeout);
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop(process, home);
      throw e;
    }
    return new RealJenkins(
        home,
        log,
        process,
        base,
        password,
        viewerPassword,
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static String randomPassword() {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }

  private static int freePort(InetAddress address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, address)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitLogin(Process process, URI base, Path log, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest login =
        HttpRequest.newBuilder(base.resolve("login")).timeout(Duration.ofSeconds(10)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Jenkins exited with " + process.exitValue());
      }
      if (Files.readString(log).contains("Failed to initialize Jenkins")) {
        throw new IllegalStateException("Jenkins failed to start: see " + log);
      }
      try {
        if (client.send(login, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // Jenkins is still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("Jenkins did not answer /login with 200 within " + timeout);
  }

  public URI base() {
    return base;
  }

  public Path home() {
    return home;
  }

  public Duration startup() {
    return startup;
  }

  /**
   * The admin account's password: random, made for this Jenkins alone, gone with it (a demo prints
   * it so that a person can sign in while it runs).
   */
  public String adminPassword() {
    return password;
  }

  /** A logged-in HTTP session as the test's admin account. */
  public JenkinsHttp login() {
    return new JenkinsHttp(base, USER, password);
  }

  /** A logged-in HTTP session as the account without ADMINISTER. */
  public JenkinsHttp loginAsViewer() {
    return new JenkinsHttp(base, VIEWER, viewerPassword);
  }

  /**
   * The session cookie of a form login as the admin (what a browser holds after signing in), for
   * handing to a browser without its password.
   */
  public JenkinsHttp.Cookie browserSession() throws IOException, InterruptedException {
    return new JenkinsHttp(base, null, null).formLogin(USER, password);
  }

  /** An HTTP session with no credentials. */
  public JenkinsHttp anonymous() {
    return new JenkinsHttp(base, null, null);
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Stops Jenkins and deletes its home. */
  @Override
  public void close() throws IOException, InterruptedException {
    stop(process, home);
  }

  private static void stop(Process process, Path home) throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
