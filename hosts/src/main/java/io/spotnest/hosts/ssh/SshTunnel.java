package io.spotnest.hosts.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;

/**
 * An SSH session to one static host (key auth, host key checked strictly against known_hosts) with a local forward
 * from 127.0.0.1 to the host's libvirtd. The migration engine connects to {@link #libvirtUri()}.
 */
public final class SshTunnel implements AutoCloseable {
    private final SshHostConfig host;
    private final Session session;
    private final int localPort;

    private SshTunnel(SshHostConfig host, Session session, int localPort) {
        this.host = host;
        this.session = session;
        this.localPort = localPort;
    }

    /**
     * Connects and opens the forward.
     *
     * @param keepAlive interval of SSH keep-alives; after 3 unanswered the session counts as lost
     * @throws SshConnectException naming the host when the key is unknown or changed, auth fails, or it is unreachable
     */
    public static SshTunnel open(SshHostConfig host, Duration connectTimeout, Duration keepAlive) {
        String where = "ssh host '" + host.name() + "' (" + host.address() + ":" + host.port() + ")";
        if (!Files.isReadable(host.knownHosts())) {
            throw new SshConnectException(where + ": known_hosts file " + host.knownHosts() + " is missing or unreadable", null);
        }
        if (!Files.isReadable(host.privateKey())) {
            throw new SshConnectException(where + ": private key " + host.privateKey() + " is missing or unreadable", null);
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
            int port = host.libvirt().isSocket()
                    ? session.setSocketForwardingL("127.0.0.1", 0, host.libvirt().socketPath(), null, (int) connectTimeout.toMillis())
                    : session.setPortForwardingL("127.0.0.1", 0, host.libvirt().tcpHost(), host.libvirt().tcpPort());
            return new SshTunnel(host, session, port);
        } catch (JSchException e) {
            disconnect(session);
            throw refusal(host, where, e);
        }
    }

    /** JSch reports host-key problems as typed exceptions or (with StrictHostKeyChecking=yes) by message. */
    private static SshConnectException refusal(SshHostConfig host, String where, JSchException e) {
        String msg = String.valueOf(e.getMessage());
        if (e instanceof JSchUnknownHostKeyException || msg.startsWith("reject HostKey") || msg.startsWith("UnknownHostKey")) {
            return new SshConnectException(where + ": its host key is not in " + host.knownHosts()
                    + "; refusing to connect (verify the fingerprint, then add the key to known_hosts)", e);
        }
        if (e instanceof JSchChangedHostKeyException || msg.startsWith("HostKey has been changed")) {
            return new SshConnectException(where + ": its host key does NOT match the one in " + host.knownHosts()
                    + "; refusing to connect (man-in-the-middle, or the machine was reinstalled)", e);
        }
        if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
            return new SshConnectException(where + ": public-key authentication as '" + host.user() + "' with "
                    + host.privateKey() + " was refused", e);
        }
        return new SshConnectException(where + ": " + msg, e);
    }

    private static void disconnect(Session session) {
        if (session != null) {
            session.disconnect();
        }
    }

    /** The local end of the forward on 127.0.0.1. */
    public int localPort() {
        return localPort;
    }

    /** libvirt URI through the tunnel. */
    public URI libvirtUri() {
        return URI.create("qemu+tcp://127.0.0.1:" + localPort + "/system");
    }

    public boolean isConnected() {
        return session.isConnected();
    }

    public SshHostConfig host() {
        return host;
    }

    /** Closes the local listener first (synchronously), then the session. */
    @Override
    public void close() {
        try {
            session.delPortForwardingL("127.0.0.1", localPort);
        } catch (JSchException e) {
            // already gone with a lost session
        }
        session.disconnect();
    }
}
