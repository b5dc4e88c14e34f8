import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bits of RFC 6455 (WebSocket) and HTTP/1.1 that the boot check's test agent and test server share:
 * reading a request or response head, the accept key, and single unfragmented frames (client frames masked).
 */
final class WsFrames {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;
    private static final int MAX_HEAD = 16 * 1024;
    private static final int MAX_PAYLOAD = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One frame as read. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** An HTTP request or response head: the first line and the headers (names in lower case). */
    record Head(String firstLine, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private WsFrames() {
    }

    static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String first = null;
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the HTTP head");
            }
            if (++total > MAX_HEAD) {
                throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String s = line.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
            line.reset();
            if (first == null) {
                first = s;
            } else if (s.isEmpty()) {
                return new Head(first, headers);
            } else {
                int colon = s.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line");
                }
                headers.put(s.substring(0, colon).trim().toLowerCase(Locale.ROOT), s.substring(colon + 1).trim());
            }
        }
    }

    static String newKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static String acceptOf(String key) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(OutputStream out, int opcode, byte[] payload, boolean mask) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        int maskBit = mask ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xFF);
        } else {
            throw new IOException("frame too long for this test transport");
        }
        byte[] body = payload.clone();
        if (mask) {
            byte[] key = new byte[4];
            RANDOM.nextBytes(key);
            f.write(key);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= key[i % 4];
            }
        }
        f.write(body);
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads one unfragmented frame; {@code masked} is what RFC 6455 requires of the sender (clients mask). */
    static Frame read(InputStream raw, boolean masked) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b0 & 0x80) == 0) {
            throw new IOException("fragmented frames are not used by this test transport");
        }
        if (((b1 & 0x80) != 0) != masked) {
            throw new IOException(masked ? "client frame not masked" : "server frame masked");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if (len > MAX_PAYLOAD) {
            throw new IOException("frame of " + len + " bytes is too long");
        }
        byte[] key = new byte[4];
        if (masked) {
            in.readFully(key);
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i % 4];
            }
        }
        return new Frame(b0 & 0x0F, payload);
    }
}
