import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Test agent.jar of the agent image's boot check. Takes the options the image's boot service gives the real
 * Jenkins agent ({@code -url -name -secret @file -workDir -webSocket}) and connects the way remoting's
 * {@code -webSocket} mode does: {@code GET <url>/wsagents/} upgraded to a WebSocket, with the request headers
 * {@code Node-Name}, {@code Secret-Key} and {@code X-Remoting-Capability}, and expects the controller's
 * {@code X-Remoting-Capability} in the 101 response. Its first message reports the usable space of the work
 * directory and of {@code java.io.tmpdir}, the two places Jenkins' disk-space and temp-space monitors watch.
 * The secret is read from the file and sent only in the header; it is never printed.
 */
public final class TestAgent {
    private static final long MIB = 1024 * 1024;

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Exception e) {
            System.out.println("TEST-AGENT-ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static int run(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        boolean webSocket = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-webSocket")) {
                webSocket = true;
            } else if (args[i].startsWith("-") && i + 1 < args.length) {
                opts.put(args[i], args[++i]);
            } else {
                System.out.println("TEST-AGENT-ERROR unexpected argument at position " + i);
                return 2;
            }
        }
        for (String required : new String[] {"-url", "-name", "-secret", "-workDir"}) {
            if (!opts.containsKey(required)) {
                System.out.println("TEST-AGENT-ERROR missing option " + required);
                return 2;
            }
        }
        if (!webSocket) {
            System.out.println("TEST-AGENT-ERROR not started with -webSocket");
            return 2;
        }
        if (!opts.get("-secret").startsWith("@")) {
            System.out.println("TEST-AGENT-ERROR -secret is not an @file reference");
            return 2;
        }
        String secret = Files.readString(Path.of(opts.get("-secret").substring(1))).strip();
        String name = opts.get("-name");
        File workDir = new File(opts.get("-workDir"));
        workDir.mkdirs();
        File tmp = new File(System.getProperty("java.io.tmpdir"));
        String hello = "name=" + name + " user=" + System.getProperty("user.name")
            + " java=" + System.getProperty("java.version")
            + " workdir=" + workDir + " workdir_free_mib=" + workDir.getUsableSpace() / MIB
            + " tmpdir=" + tmp + " tmp_free_mib=" + tmp.getUsableSpace() / MIB;

        URI url = URI.create(opts.get("-url"));
        String path = (url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath());
        path = (path.endsWith("/") ? path : path + "/") + "wsagents/";
        int port = url.getPort() > 0 ? url.getPort() : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(url.getHost(), port), 20_000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String key = WsFrames.newKey();
            String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Node-Name: " + name + "\r\n"
                + "Secret-Key: " + secret + "\r\n"
                + "X-Remoting-Capability: " + capability() + "\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            WsFrames.Head response = WsFrames.readHead(in);
            if (!response.firstLine().startsWith("HTTP/1.1 101")) {
                System.out.println("TEST-AGENT-REFUSED status=" + response.firstLine());
                return 1;
            }
            if (!WsFrames.acceptOf(key).equals(response.header("Sec-WebSocket-Accept"))) {
                System.out.println("TEST-AGENT-ERROR wrong Sec-WebSocket-Accept");
                return 1;
            }
            if (response.header("X-Remoting-Capability") == null) {
                System.out.println("TEST-AGENT-ERROR did not receive X-Remoting-Capability header");
                return 1;
            }
            WsFrames.write(out, WsFrames.BINARY, hello.getBytes(StandardCharsets.UTF_8), true);
            WsFrames.Frame welcome = WsFrames.read(in, false);
            if (!welcome.text().startsWith("WELCOME")) {
                System.out.println("TEST-AGENT-ERROR unexpected first message from the controller");
                return 1;
            }
            System.out.println("TEST-AGENT-CONNECTED " + hello);
            s.setSoTimeout(0);
            while (true) {       // stay connected like a real agent; answer pings, end on close
                WsFrames.Frame f = WsFrames.read(in, false);
                if (f.opcode() == WsFrames.PING) {
                    WsFrames.write(out, WsFrames.PONG, f.payload(), true);
                } else if (f.opcode() == WsFrames.CLOSE) {
                    System.out.println("TEST-AGENT-DISCONNECTED by the controller");
                    return 1;
                }
            }
        } catch (IOException e) {
            System.out.println("TEST-AGENT-ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Like remoting's Capability.toASCII(): base64 of a Java serialization stream (magic AC ED 00 05). */
    private static String capability() {
        byte[] marker = "test-agent".getBytes(StandardCharsets.US_ASCII);
        byte[] stream = new byte[4 + marker.length];
        stream[0] = (byte) 0xAC;
        stream[1] = (byte) 0xED;
        stream[2] = 0x00;
        stream[3] = 0x05;
        System.arraycopy(marker, 0, stream, 4, marker.length);
        return Base64.getEncoder().encodeToString(stream);
    }
}
