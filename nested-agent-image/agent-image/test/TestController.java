import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Controller-side test server of the agent image: the two Jenkins endpoints an inbound agent uses.
 * {@code GET /jnlpJars/agent.jar} serves the test agent jar; {@code GET /wsagents/} accepts a WebSocket upgrade
 * only with the headers Jenkins' WebSocketAgents requires ({@code Node-Name} of the one expected agent, its
 * {@code Secret-Key}, compared in constant time, and {@code X-Remoting-Capability}), answers with its own
 * {@code X-Remoting-Capability}, reads the agent's first message and welcomes it. With {@code --ping-ms} it then
 * pings the agent like Jenkins' ping thread and logs every answer, so a caller sees whether the one connection
 * stayed alive (across a live migration of the agent's VM, say) and how long its longest silence was.
 *
 * <p>It listens on 127.0.0.1 unless {@code --bind} names another address, which it accepts only when it is this
 * machine's own address ({@code ip route get} says {@code local}) on a link whose other end is in a lab's network
 * namespace ({@code sn[lhg]<N>}, the testbed's names): VMs on the lab's hosts reach it there, nothing else does.
 *
 * <p>Usage: {@code TestController --jar FILE --name NAME --port-file FILE --lifetime-s N [--bind ADDR]
 * [--ping-ms N]}, the expected secret as the first line of stdin. Events go to stdout, one line each
 * ({@code TEST-SERVER ...}); the secret never does. A bad option: one line naming it, exit 2. The server exits on
 * its own after the lifetime, so it cannot outlive a crashed caller for long.
 */
public final class TestController {
    /** The testbed's namespaces (LabNames.NAMESPACE). */
    private static final Pattern LAB_NAMESPACE = Pattern.compile("sn[lhg]\\d+(x\\d+)?");
    private static final Pattern PEER_NAMESPACE = Pattern.compile("\\blink-netns (\\S+)");
    private static final Pattern PEER_NAMESPACE_ID = Pattern.compile("\\blink-netnsid (\\d+)");

    private final byte[] jar;
    private final String name;
    private final byte[] secret;
    private final long pingMs;
    private final AtomicInteger connections = new AtomicInteger();

    private TestController(byte[] jar, String name, byte[] secret, long pingMs) {
        this.jar = jar;
        this.name = name;
        this.secret = secret;
        this.pingMs = pingMs;
    }

    public static void main(String[] args) throws Exception {
        String jarFile = null;
        String name = null;
        String portFile = null;
        long lifetimeS = 600;
        long pingMs = 0;
        String bind = "127.0.0.1";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jar" -> jarFile = args[i + 1];
                case "--name" -> name = args[i + 1];
                case "--port-file" -> portFile = args[i + 1];
                case "--lifetime-s" -> lifetimeS = number("--lifetime-s", args[i + 1], 1, 86_400);
                case "--ping-ms" -> pingMs = number("--ping-ms", args[i + 1], 0, 60_000);
                case "--bind" -> bind = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }
        if (jarFile == null || name == null || portFile == null || args.length % 2 != 0) {
            usage("--jar, --name and --port-file are required");
        }
        InetAddress address = bindAddress(bind);
        String secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        if (secret == null || !secret.matches("[A-Za-z0-9]{1,256}")) {
            usage("stdin: expected the agent secret, one line of 1..256 letters and digits");
        }
        TestController server = new TestController(Files.readAllBytes(Path.of(jarFile)), name,
            secret.getBytes(StandardCharsets.US_ASCII), pingMs);
        long lifetimeMs = lifetimeS * 1000;
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(lifetimeMs);
            } catch (InterruptedException e) {
                return;
            }
            event("LIFETIME-OVER");
            System.exit(3);
        });
        reaper.setDaemon(true);
        reaper.start();
        try (ServerSocket listener = new ServerSocket(0, 16, address)) {
            Path tmp = Path.of(portFile + ".tmp");
            Files.writeString(tmp, listener.getLocalPort() + "\n");
            Files.move(tmp, Path.of(portFile), StandardCopyOption.ATOMIC_MOVE);
            event("LISTENING addr=" + address.getHostAddress() + ":" + listener.getLocalPort());
            while (true) {
                Socket s = listener.accept();
                Thread t = new Thread(() -> server.serve(s));
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static long number(String option, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        usage(option + ": expected a number " + min + ".." + max + ", got " + value);
        return min;
    }

    /**
     * The address to listen on: a loopback address, or this machine's own address on a link into a lab namespace.
     * Anything else ends the program (one line naming {@code --bind}, exit 2).
     */
    static InetAddress bindAddress(String text) throws IOException, InterruptedException {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            usage("--bind: expected an IPv4 address, got " + text);
        }
        InetAddress address = InetAddress.getByName(text);
        if (!(address instanceof Inet4Address)) {
            usage("--bind: expected an IPv4 address, got " + text);
        }
        if (address.isLoopbackAddress()) {
            return address;
        }
        NetworkInterface nic = NetworkInterface.getByInetAddress(address);
        if (nic == null) {
            usage("--bind " + text + ": not an address of this machine; refusing to listen there");
        }
        String route = ip("-4", "-o", "route", "get", text);
        if (!route.startsWith("local " + text + " ")) {
            usage("--bind " + text + ": ip route get does not call it local (" + route.strip() + ")");
        }
        String link = ip("-o", "link", "show", "dev", nic.getName());
        String peer = peerNamespace(link);
        if (peer == null || !LAB_NAMESPACE.matcher(peer).matches()) {
            usage("--bind " + text + ": on " + nic.getName() + ", whose other end is "
                + (peer == null ? "in no network namespace" : "in namespace " + peer)
                + ", not in a lab namespace (sn[lhg]<N>); refusing to listen there");
        }
        return address;
    }

    /** The namespace the other end of a veth is in, by name, from {@code ip -o link show}; null when none. */
    private static String peerNamespace(String link) throws IOException, InterruptedException {
        Matcher named = PEER_NAMESPACE.matcher(link);
        if (named.find()) {
            return named.group(1);
        }
        Matcher id = PEER_NAMESPACE_ID.matcher(link);
        if (!id.find()) {
            return null;
        }
        // "NAME (id: N)" per named namespace
        for (String line : ip("netns", "list").split("\n")) {
            if (line.endsWith("(id: " + id.group(1) + ")")) {
                return line.substring(0, line.indexOf(' '));
            }
        }
        return null;
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            usage("--bind: `ip " + String.join(" ", args) + "` failed: " + out.strip());
        }
        return out;
    }

    private static void usage(String why) {
        System.err.println("TestController: " + why);
        System.exit(2);
    }

    private static synchronized void event(String what) {
        System.out.println("TEST-SERVER " + what + " at_ms=" + System.currentTimeMillis());
        System.out.flush();
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(60_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            WsFrames.Head req = WsFrames.readHead(in);
            String[] first = req.firstLine().split(" ");
            if (first.length != 3 || !first[0].equals("GET")) {
                reply(out, "405 Method Not Allowed", "");
            } else if (first[1].equals("/jnlpJars/agent.jar")) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/java-archive\r\nContent-Length: " + jar.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(jar);
                out.flush();
                event("JAR-SERVED bytes=" + jar.length);
            } else if (first[1].equals("/wsagents/")) {
                agent(s, req, in, out);
            } else {
                reply(out, "404 Not Found", "");
            }
        } catch (IOException e) {
            event("CONNECTION-ERROR " + e.getClass().getSimpleName());
        }
    }

    private void agent(Socket s, WsFrames.Head req, InputStream in, OutputStream out) throws IOException {
        String node = req.header("Node-Name");
        String key = req.header("Secret-Key");
        String capability = req.header("X-Remoting-Capability");
        String wsKey = req.header("Sec-WebSocket-Key");
        if (node == null || key == null || capability == null || wsKey == null
            || !"websocket".equalsIgnoreCase(req.header("Upgrade")) || !"13".equals(req.header("Sec-WebSocket-Version"))) {
            reject(out, "400 Bad Request", "incomplete-headers");
            return;
        }
        if (!node.equals(name)) {
            reject(out, "400 Bad Request", "no-such-agent");
            return;
        }
        if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.US_ASCII), secret)) {
            reject(out, "403 Forbidden", "incorrect-secret");
            return;
        }
        if (!isSerializationStream(capability)) {
            reject(out, "400 Bad Request", "bad-capability");
            return;
        }
        byte[] cookie = new byte[16];
        new SecureRandom().nextBytes(cookie);
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + WsFrames.acceptOf(wsKey) + "\r\n"
            + "X-Remoting-Capability: " + capability + "\r\n"
            + "X-Remoting-Minimum-Version: 3.14\r\n"
            + "Connection-Cookie: " + HexFormat.of().formatHex(cookie) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        WsFrames.Frame hello = WsFrames.read(in, true);
        String text = hello.text().replaceAll("[^\\x20-\\x7e]", "?");
        if (text.contains(new String(secret, StandardCharsets.US_ASCII))) {
            event("AGENT-LEAKED-SECRET name=" + node);
            return;
        }
        int id = connections.incrementAndGet();
        event("AGENT-CONNECTED conn=" + id + " from=" + s.getInetAddress().getHostAddress() + " " + text);
        WsFrames.write(out, WsFrames.TEXT, "WELCOME".getBytes(StandardCharsets.UTF_8), false);
        Thread pinger = pingMs > 0 ? pinger(id, out) : null;
        try {
            while (true) {
                WsFrames.Frame f = WsFrames.read(in, true);
                if (f.opcode() == WsFrames.CLOSE) {
                    break;
                }
                if (f.opcode() == WsFrames.PONG) {
                    pong(id, new String(f.payload(), StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException e) {
            // the agent went away (the boot check ends the VM)
        } finally {
            if (pinger != null) {
                pinger.interrupt();
            }
        }
        event("AGENT-DISCONNECTED conn=" + id + " name=" + node);
    }

    /** Pings the agent every {@code pingMs}; the payload is {@code <seq>:<sent at, ms>}. */
    private Thread pinger(int id, OutputStream out) {
        Thread t = new Thread(() -> {
            try {
                for (long seq = 1; ; seq++) {
                    Thread.sleep(pingMs);
                    byte[] payload = (seq + ":" + System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
                    WsFrames.write(out, WsFrames.PING, payload, false);
                }
            } catch (InterruptedException | IOException e) {
                // the connection ended
            }
        }, "ping-" + id);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void pong(int id, String payload) {
        int colon = payload.indexOf(':');
        try {
            long sent = Long.parseLong(payload.substring(colon + 1));
            event("PONG conn=" + id + " seq=" + payload.substring(0, colon) + " rtt_ms=" + (System.currentTimeMillis() - sent));
        } catch (RuntimeException e) {
            event("PONG conn=" + id + " unexpected-payload");
        }
    }

    private static boolean isSerializationStream(String base64) {
        try {
            byte[] b = Base64.getDecoder().decode(base64);
            return b.length > 4 && (b[0] & 0xFF) == 0xAC && (b[1] & 0xFF) == 0xED && b[2] == 0 && b[3] == 5;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void reject(OutputStream out, String status, String reason) throws IOException {
        event("REJECTED status=" + status.substring(0, 3) + " reason=" + reason);
        reply(out, status, reason);
    }

    private static void reply(OutputStream out, String status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }
}
