import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stand-in for Jenkins' agent.jar in the agent image smoke test: checks that the bootstrap passes the
 * inbound-agent options (-url, -name, -secret @file, -workDir, -webSocket), reads the secret through the
 * file and prints only its SHA-256, then stays running like a connected agent.
 */
public final class StandinAgent {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        boolean webSocket = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-webSocket")) {
                webSocket = true;
            } else if (args[i].startsWith("-") && i + 1 < args.length) {
                opts.put(args[i], args[++i]);
            } else {
                System.out.println("STANDIN-AGENT-ERROR unexpected argument at position " + i);
                System.exit(2);
            }
        }
        String secret = opts.getOrDefault("-secret", "");
        if (!secret.startsWith("@")) {
            System.out.println("STANDIN-AGENT-ERROR -secret is not an @file reference");
            System.exit(2);
        }
        byte[] value = Files.readString(Path.of(secret.substring(1))).strip().getBytes("UTF-8");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        System.out.println("STANDIN-AGENT name=" + opts.get("-name") + " url=" + opts.get("-url")
                + " workDir=" + opts.get("-workDir") + " webSocket=" + webSocket
                + " secret_sha256=" + sha + " user=" + System.getProperty("user.name")
                + " java=" + System.getProperty("java.version"));
        Thread.sleep(Long.MAX_VALUE);
    }
}
