package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Pool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key auth, strict host keys and forwards against a real sshd in a network namespace. */
@Tag("lab")
class SshTunnelTest {
    private static final Pool POOL = new Pool("static-4c", "rack1");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private SshLab lab;

    @BeforeEach
    void start() throws Exception {
        SshLab.requirePrerequisites();
        lab = SshLab.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private SshHostConfig config(Path knownHosts, Path key, LibvirtEndpoint libvirt) {
        return new SshHostConfig("rack1-a", POOL, SshLab.HOST_ADDRESS, 22, "root", key, knownHosts, libvirt);
    }

    @Test
    void tcpForwardReachesTheHostsOwnLoopback() throws Exception {
        lab.requireRoute();
        try (SshTunnel tunnel = SshTunnel.open(config(lab.knownHosts(), lab.clientKey(), LibvirtEndpoint.tcp("127.0.0.1", SshLab.LOOPBACK_PORT)), TIMEOUT, TIMEOUT)) {
            assertEquals("qemu+tcp://127.0.0.1:" + tunnel.localPort() + "/system", tunnel.libvirtUri().toString());
            try (Socket s = new Socket("127.0.0.1", tunnel.localPort());
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                String banner = in.readLine();
                assertTrue(banner.startsWith("SSH-2.0-") && banner.contains(SshDaemon.BANNER_TAG),
                        "the listener on the namespace's 127.0.0.1:" + SshLab.LOOPBACK_PORT + " answered: " + banner);
            }
        }
    }

    @Test
    void unixSocketForwardReachesASocketOnTheHost() throws Exception {
        Path socket = dir.resolve("fake-libvirt.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread answer = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.write(ByteBuffer.wrap("hello-from-the-socket\n".getBytes(StandardCharsets.US_ASCII)));
                } catch (Exception ignored) {
                    // the test fails on the read below
                }
            });
            answer.start();
            lab.requireRoute();
            try (SshTunnel tunnel = SshTunnel.open(config(lab.knownHosts(), lab.clientKey(), LibvirtEndpoint.unixSocket(socket.toString())), TIMEOUT, TIMEOUT);
                 Socket s = new Socket("127.0.0.1", tunnel.localPort());
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                assertEquals("hello-from-the-socket", in.readLine());
            }
            answer.join(5_000);
        }
    }

    @Test
    void unknownHostKeyIsRefusedNamingTheHost() throws Exception {
        Path empty = dir.resolve("empty_known_hosts");
        Files.writeString(empty, "");
        lab.requireRoute();
        SshConnectException e = assertThrows(SshConnectException.class,
                () -> SshTunnel.open(config(empty, lab.clientKey(), LibvirtEndpoint.SYSTEM_SOCKET), TIMEOUT, TIMEOUT));
        assertTrue(e.getMessage().startsWith("ssh host 'rack1-a' (10.231.77.2:22): its host key is not in " + empty), e.getMessage());
    }

    @Test
    void changedHostKeyIsRefusedNamingTheHost() throws Exception {
        Path wrong = dir.resolve("wrong_known_hosts");
        lab.writeKnownHosts(wrong, "other_key.pub");
        lab.requireRoute();
        SshConnectException e = assertThrows(SshConnectException.class,
                () -> SshTunnel.open(config(wrong, lab.clientKey(), LibvirtEndpoint.SYSTEM_SOCKET), TIMEOUT, TIMEOUT));
        assertTrue(e.getMessage().startsWith("ssh host 'rack1-a' (10.231.77.2:22): its host key does NOT match"), e.getMessage());
        assertFalse(Files.readString(wrong).contains(Files.readString(dir.resolve("host_key.pub")).split(" ")[1]),
                "the presented key was not added to known_hosts");
    }

    @Test
    void aKeyTheHostDoesNotAuthorizeIsRefused() throws Exception {
        lab.requireRoute();
        SshConnectException e = assertThrows(SshConnectException.class,
                () -> SshTunnel.open(config(lab.knownHosts(), dir.resolve("other_key"), LibvirtEndpoint.SYSTEM_SOCKET), TIMEOUT, TIMEOUT));
        assertTrue(e.getMessage().contains("'rack1-a'") && e.getMessage().contains("public-key authentication as 'root'"), e.getMessage());
    }
}
