package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * One "static machine" for tests that need no lab: an in-process SSH server (Apache MINA SSHD) on
 * 127.0.0.1 with a generated host key, public-key auth for one generated client key only, and
 * known_hosts trusting it. Exec requests are not run: each is recorded with its login user, and
 * answered with the exit status {@code exits} gives it (stderr names the status when not 0). Public
 * for other modules' tests (the Jenkins plugin's wiring of the static hosts' overlay).
 */
public final class LocalSshServer implements AutoCloseable {
  /** One exec request the server received. */
  public record Exec(String user, String command) {}

  private final SshServer server;
  private final Path knownHosts;
  private final Path clientKey;
  private String hostKey;
  private final List<Exec> execs = Collections.synchronizedList(new ArrayList<>());
  private volatile ToIntFunction<String> exits = command -> 0;
  private volatile LoginGate gate = LoginGate.opened();

  private LocalSshServer(SshServer server, Path knownHosts, Path clientKey) {
    this.server = server;
    this.knownHosts = knownHosts;
    this.clientKey = clientKey;
  }

  /** Starts on 127.0.0.1 with an ephemeral port; keys and known_hosts go into {@code dir}. */
  public static LocalSshServer start(Path dir) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path clientKey = dir.resolve("client_key");
    PublicKey client = generateClientKey(clientKey);
    SimpleGeneratorHostKeyProvider hostKeys =
        new SimpleGeneratorHostKeyProvider(dir.resolve("host_key"));
    hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(hostKeys);
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    LocalSshServer s = new LocalSshServer(server, dir.resolve("known_hosts"), clientKey);
    server.setPublickeyAuthenticator(
        (user, key, session) -> s.gate.pass() && KeyUtils.compareKeys(client, key));
    server.setCommandFactory((channel, command) -> s.new RecordedExec(command));
    server.start();
    KeyPair hostKey = hostKeys.loadKeys(null).iterator().next();
    s.hostKey = PublicKeyEntry.toString(hostKey.getPublic());
    Files.writeString(s.knownHosts, s.knownHostsLine(s.hostKey));
    return s;
  }

  private static PublicKey generateClientKey(Path file)
      throws IOException, GeneralSecurityException {
    try {
      com.jcraft.jsch.KeyPair pair =
          com.jcraft.jsch.KeyPair.genKeyPair(new JSch(), com.jcraft.jsch.KeyPair.ECDSA, 256);
      pair.writePrivateKey(file.toString());
      ByteArrayOutputStream pub = new ByteArrayOutputStream();
      pair.writePublicKey(pub, "spotnest-test");
      pair.dispose();
      String line = pub.toString(StandardCharsets.US_ASCII).trim();
      return PublicKeyEntry.parsePublicKeyEntry(line)
          .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
    } catch (JSchException e) {
      throw new IOException("cannot generate the client key: " + e.getMessage(), e);
    }
  }

  /** A known_hosts line that trusts {@code key} (type and base64) for this server's address. */
  String knownHostsLine(String key) {
    return "[127.0.0.1]:" + server.getPort() + " " + key + "\n";
  }

  /** This server's host key: type and base64, as in known_hosts. */
  String hostKey() {
    return hostKey;
  }

  /** A static host config of this machine, logging in as {@code user}. */
  public SshHostConfig host(String name, io.spotnest.hosts.Pool pool, String user, String vtep) {
    return host(name, pool, user, vtep, knownHosts);
  }

  /** The same, its host key checked against {@code knownHosts}. */
  SshHostConfig host(
      String name, io.spotnest.hosts.Pool pool, String user, String vtep, Path knownHosts) {
    return new SshHostConfig(
        name,
        pool,
        "127.0.0.1",
        server.getPort(),
        user,
        clientKey,
        knownHosts,
        LibvirtEndpoint.SYSTEM_SOCKET,
        null,
        vtep);
  }

  /** How the next exec requests end: the exit status for each command line. */
  void answer(ToIntFunction<String> exits) {
    this.exits = exits;
  }

  /**
   * Holds every login from now on until the returned gate is opened: a client's handshake then
   * waits inside its public-key authentication, as on a machine that is slow to answer.
   */
  LoginGate holdLogins() {
    LoginGate held = new LoginGate();
    gate = held;
    return held;
  }

  /** Every exec request so far, in order. */
  public List<Exec> execs() {
    synchronized (execs) {
      return List.copyOf(execs);
    }
  }

  /** The command lines of every exec request so far, in order. */
  List<String> commands() {
    return execs().stream().map(Exec::command).toList();
  }

  /**
   * Waits until the exec requests so far satisfy {@code done}, polling every 20 ms; fails naming
   * {@code what} and the requests after {@code within}.
   */
  void awaitExecs(Predicate<List<Exec>> done, String what, Duration within)
      throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (!done.test(execs())) {
      assertTrue(System.nanoTime() < until, () -> what + ", got " + execs());
      Thread.sleep(20);
    }
  }

  /**
   * Waits (as {@link #awaitExecs}) until the last exec request is {@code command} as {@code user}.
   */
  void awaitLast(String user, String command, Duration within) throws InterruptedException {
    Exec want = new Exec(user, command);
    awaitExecs(e -> !e.isEmpty() && e.get(e.size() - 1).equals(want), "last run " + want, within);
  }

  /** Ends every session (the client sees its connection drop); the server keeps listening. */
  void dropSessions() throws IOException {
    for (var session : server.getActiveSessions()) {
      session.close(true);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  private final class RecordedExec implements Command {
    private final String command;
    private OutputStream err;
    private ExitCallback exit;

    RecordedExec(String command) {
      this.command = command;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      execs.add(new Exec(channel.getSession().getUsername(), command));
      int status = exits.applyAsInt(command);
      if (status != 0) {
        err.write(("failed with " + status + "\n").getBytes(StandardCharsets.US_ASCII));
        err.flush();
      }
      exit.onExit(status);
    }

    @Override
    public void destroy(ChannelSession channel) {}

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setOutputStream(OutputStream out) {}

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }
  }

  /** Logins held until {@link #open()}; a login waits at most a minute. */
  static final class LoginGate {
    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch waiting = new CountDownLatch(1);

    /** A gate open from the start. */
    private static LoginGate opened() {
      LoginGate g = new LoginGate();
      g.open();
      return g;
    }

    private boolean pass() {
      waiting.countDown();
      try {
        return opened.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** Waits until a login is held here; fails after {@code within}. */
    void awaitLogin(Duration within) throws InterruptedException {
      assertTrue(waiting.await(within.toMillis(), TimeUnit.MILLISECONDS), "no login came");
    }

    /** Lets the held logins and every later one through. */
    void open() {
      opened.countDown();
    }
  }
}
