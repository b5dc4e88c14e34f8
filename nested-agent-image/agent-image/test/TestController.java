import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
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

/**
 * Controller-side test server of the agent image's boot check: the two Jenkins endpoints an inbound agent uses,
 * on 127.0.0.1 only. {@code GET /jnlpJars/agent.jar} serves the test agent jar; {@code GET /wsagents/} accepts a
 * WebSocket upgrade only with the headers Jenkins' WebSocketAgents requires ({@code Node-Name} of the one
 * expected agent, its {@code Secret-Key}, compared in constant time, and {@code X-Remoting-Capability}),
 * answers with its own {@code X-Remoting-Capability}, reads the agent's first message and welcomes it.
 *
 * <p>Usage: {@code TestController --jar FILE --name NAME --port-file FILE --lifetime-s N}, the expected secret
 * as the first line of stdin. Events go to stdout, one line each ({@code TEST-SERVER ...}); the secret never
 * does. The server exits on its own after the lifetime, so it cannot outlive a crashed caller for long.
 */
public final class TestController {
    private final byte[] jar;
    private final String name;
    private final byte[] secret;

    private TestController(byte[] jar, String name, byte[] secret) {
        this.jar = jar;
        this.name = name;
        this.secret = secret;
    }

    public static void main(String[] args) throws Exception {
        String jarFile = null;
        String name = null;
        String portFile = null;
        long lifetimeS = 600;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jar" -> jarFile = args[i + 1];
                case "--name" -> name = args[i + 1];
                case "--port-file" -> portFile = args[i + 1];
                case "--lifetime-s" -> lifetimeS = Long.parseLong(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (jarFile == null || name == null || portFile == null || args.length % 2 != 0) {
            usage("--jar, --name and --port-file are required");
        }
        String secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        if (secret == null || !secret.matches("[A-Za-z0-9]{1,256}")) {
            usage("stdin: expected the agent secret, one line of 1..256 letters and digits");
        }
        TestController server = new TestController(Files.readAllBytes(Path.of(jarFile)), name,
            secret.getBytes(StandardCharsets.US_ASCII));
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
        try (ServerSocket listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Path tmp = Path.of(portFile + ".tmp");
            Files.writeString(tmp, listener.getLocalPort() + "\n");
            Files.move(tmp, Path.of(portFile), StandardCopyOption.ATOMIC_MOVE);
            event("LISTENING addr=127.0.0.1:" + listener.getLocalPort());
            while (true) {
                Socket s = listener.accept();
                Thread t = new Thread(() -> server.serve(s));
                t.setDaemon(true);
                t.start();
            }
        }
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
                agent(req, in, out);
            } else {
                reply(out, "404 Not Found", "");
            }
        } catch (IOException e) {
            event("CONNECTION-ERROR " + e.getClass().getSimpleName());
        }
    }

    private void agent(WsFrames.Head req, InputStream in, OutputStream out) throws IOException {
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
        event("AGENT-CONNECTED " + text);
        WsFrames.write(out, WsFrames.TEXT, "WELCOME".getBytes(StandardCharsets.UTF_8), false);
        try {
            while (true) {
                WsFrames.Frame f = WsFrames.read(in, true);
                if (f.opcode() == WsFrames.CLOSE) {
                    break;
                }
            }
        } catch (IOException e) {
            // the agent went away (the boot check ends the VM)
        }
        event("AGENT-DISCONNECTED name=" + node);
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
