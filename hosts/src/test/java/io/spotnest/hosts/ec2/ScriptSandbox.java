package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where {@link HostSetupScriptTest} and {@link GatewaySetupScriptTest} run the real host scripts:
 * the scripts copied from the test resources, stand-ins for the commands that would change this
 * machine (they append each call to {@link #calls} and keep the devices they made in {@link
 * #state}), and a temporary sysroot under which every file path of the scripts lies.
 */
final class ScriptSandbox {
  private static final String HOST_SCRIPTS = "/io/spotnest/hosts/ec2/host/";
  private static final String FAKEBIN = "/io/spotnest/hosts/ec2/fakebin/";

  /** The installed boot script, as {@code spotnest-overlay.service} starts it. */
  static final String BOOT_SCRIPT = "usr/local/sbin/spotnest-overlay-up";

  final Path dir;
  final Path scripts;
  final Path fakebin;
  final Path sysroot;
  final Path state;
  final Path calls;

  /** One script's exit status and its output (standard error folded in). */
  record Run(int exit, String log) {}

  /**
   * Copies {@code scripts} (from the host scripts) and {@code fakes} (from the stand-ins) below
   * {@code dir}; the sysroot is {@code dir/root}, empty until {@link #write} fills it.
   */
  ScriptSandbox(Path dir, List<String> scripts, List<String> fakes) throws Exception {
    this.dir = dir;
    this.scripts = Files.createDirectories(dir.resolve("scripts"));
    for (String s : scripts) {
      copy(HOST_SCRIPTS + s, this.scripts.resolve(s));
    }
    this.fakebin = Files.createDirectories(dir.resolve("fakebin"));
    for (String s : fakes) {
      copy(FAKEBIN + s, fakebin.resolve(s));
      Files.setPosixFilePermissions(
          fakebin.resolve(s), PosixFilePermissions.fromString("rwx------"));
    }
    this.sysroot = dir.resolve("root");
    this.state = Files.createDirectories(dir.resolve("state"));
    this.calls = dir.resolve("calls.log");
    Files.writeString(calls, "");
  }

  private static void copy(String resource, Path to) throws Exception {
    try (InputStream in = ScriptSandbox.class.getResourceAsStream(resource)) {
      assertTrue(in != null, "missing resource " + resource);
      Files.write(to, in.readAllBytes());
    }
  }

  /** Writes {@code content} to {@code path} under the sysroot, making its folders. */
  void write(String path, String content) throws Exception {
    Path f = sysroot.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  /**
   * Runs {@code script} with bash, the stand-ins first on the PATH, no {@code SPOTNEST_} setting of
   * this process's environment but the sysroot and {@code settings}.
   */
  Run run(Path script, Map<String, String> settings, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPOTNEST_"));
    env.put("PATH", fakebin + ":" + env.get("PATH"));
    env.put("FAKE_CALLS", calls.toString());
    env.put("FAKE_STATE", state.toString());
    env.put("SPOTNEST_SYSROOT", sysroot.toString());
    env.putAll(settings);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(script.getFileName() + " did not finish");
    }
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** The installed boot script as systemd starts it: no SPOTNEST_ setting in its environment. */
  Run bootScript() throws Exception {
    return run(sysroot.resolve(BOOT_SCRIPT), Map.of(), 60);
  }

  /** Every call the stand-ins recorded, oldest first. */
  List<String> calls() throws Exception {
    return Files.readAllLines(calls);
  }

  /** Forgets the calls recorded so far. */
  void clearCalls() throws Exception {
    Files.writeString(calls, "");
  }

  /** A reboot for the stand-ins: the runtime state they keep in these files is gone. */
  void forget(List<String> stateFiles) throws Exception {
    for (String f : stateFiles) {
      Files.deleteIfExists(state.resolve(f));
    }
  }
}
