package io.spotnest.hosts.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Opens one SSH session to a static host: public-key auth only, host key checked strictly against
 * its known_hosts file on every connection (a reconnect is checked exactly like the first connect).
 */
final class SshConnector {
  private final SshHostConfig host;
  private final Duration connectTimeout;
  private final Duration keepAlive;

  /**
   * @param keepAlive interval of SSH keep-alives; after 3 unanswered the session counts as lost
   */
  SshConnector(SshHostConfig host, Duration connectTimeout, Duration keepAlive) {
    this.host = host;
    this.connectTimeout = connectTimeout;
    this.keepAlive = keepAlive;
  }

  String where() {
    return "ssh host '" + host.name() + "' (" + host.address() + ":" + host.port() + ")";
  }

  /**
   * @throws SshHostKeyException when the host key is unknown or changed
   * @throws SshConnectException naming the host when auth fails or it is unreachable
   */
  Session connect() {
    if (!Files.isReadable(host.knownHosts())) {
      throw new SshConnectException(
          where() + ": known_hosts file " + host.knownHosts() + " is missing or unreadable", null);
    }
    if (!Files.isReadable(host.privateKey())) {
      throw new SshConnectException(
          where() + ": private key " + host.privateKey() + " is missing or unreadable", null);
    }
    Session session = null;
    try {
      JSch jsch = new JSch();
      jsch.setKnownHosts(host.knownHosts().toString());
      jsch.addIdentity(host.privateKey().toString());
      session = jsch.getSession(host.user(), host.address(), host.port());
      session.setConfig("StrictHostKeyChecking", "yes");
      session.setConfig("PreferredAuthentications", "publickey");
      session.setServerAliveInterval((int) keepAlive.toMillis());
      session.setServerAliveCountMax(3);
      session.connect((int) connectTimeout.toMillis());
      return session;
    } catch (JSchException e) {
      if (session != null) {
        session.disconnect();
      }
      throw refusal(e);
    }
  }

  /**
   * JSch reports host-key problems as typed exceptions or (with StrictHostKeyChecking=yes) by
   * message.
   */
  private SshConnectException refusal(JSchException e) {
    String msg = String.valueOf(e.getMessage());
    if (e instanceof JSchUnknownHostKeyException
        || msg.startsWith("reject HostKey")
        || msg.startsWith("UnknownHostKey")) {
      return new SshHostKeyException(
          where()
              + ": its host key is not in "
              + host.knownHosts()
              + "; refusing to connect (verify the fingerprint, then add the key to known_hosts)",
          e);
    }
    if (e instanceof JSchChangedHostKeyException || msg.startsWith("HostKey has been changed")) {
      return new SshHostKeyException(
          where()
              + ": its host key does NOT match the one in "
              + host.knownHosts()
              + "; refusing to connect (man-in-the-middle, or the machine was reinstalled)",
          e);
    }
    if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
      return new SshConnectException(
          where()
              + ": public-key authentication as '"
              + host.user()
              + "' with "
              + host.privateKey()
              + " was refused",
          e);
    }
    return new SshConnectException(where() + ": " + msg, e);
  }
}
