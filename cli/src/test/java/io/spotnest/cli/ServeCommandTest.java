package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.SharedData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spotnest serve}, run as the launcher runs it: a JVM of its own through {@code
 * SpotNestCommand.main}.
 */
class ServeCommandTest {
  private static final Path DATA = SharedData.require(Path.of("").toAbsolutePath().getParent());
  private static final String TRACE =
      DATA.resolve("skypilot-spot-traces/preemption/1-node/aws-04-19-2023/us-east-1c_intel_64.json")
          .toString();

  private static Process start(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dspotnest.root=" + Path.of("").toAbsolutePath().getParent(),
                "io.spotnest.cli.SpotNestCommand",
                "serve"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  private static void refused(String option, String... args) throws Exception {
    Process p = start(args);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve " + String.join(" ", args) + " returned");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), err + out);
    List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line: " + err);
    assertTrue(lines.get(0).contains(option), lines.get(0));
    assertTrue(out.isBlank(), out);
  }

  @Test
  void badOptionsAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
    refused("--port", "--port", "70000");
    refused("--port", "--port", "-1");
    refused("--speed", "--speed", "0", "--trace", TRACE);
    refused("--trace", "--trace", dir.resolve("missing_intel_64.json").toString());
    Path bad =
        Files.writeString(
            dir.resolve("us-east-1b_intel_64.json"), "{\"metadata\": {}, \"data\": [1, 0]}");
    refused("--trace", "--trace", bad.toString());
    Path unnamed =
        Files.writeString(
            dir.resolve("trace.json"), "{\"metadata\": {\"gap_seconds\": 60}, \"data\": [1, 0]}");
    refused("--trace", "--trace", unnamed.toString());
  }

  @Test
  void printsTheAddressAndServesTheReplay() throws Exception {
    Process p = start("--port", "0", "--trace", TRACE);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String address = out.readLine();
      String signIn = out.readLine();
      assertTrue(
          address != null && address.matches("dashboard: http://127\\.0\\.0\\.1:\\d+/"), address);
      Matcher token =
          Pattern.compile("sign in: (http://127\\.0\\.0\\.1:\\d+/)\\?token=(\\S+)").matcher(signIn);
      assertTrue(token.matches(), signIn);
      HttpResponse<String> summary =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(token.group(1)).resolve("/api/summary"))
                      .header("Authorization", "Bearer " + token.group(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, summary.statusCode());
      assertTrue(
          summary.body().contains("\"pools\":1") && summary.body().contains("us-east-1c_intel_64"),
          summary.body());
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
