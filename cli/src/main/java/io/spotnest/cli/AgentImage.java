package io.spotnest.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real agent VM image ({@code nested-agent-image/out/agent}), built by {@code
 * nested-agent-image/build-agent-image.sh} or found cached by it when its inputs are unchanged.
 */
final class AgentImage {
  static final long BUILD_TIMEOUT_MIN = 30;
  static final List<String> FILES = List.of("vmlinuz", "initramfs.cpio.gz", "agent-root.qcow2");

  private AgentImage() {}

  /** The image's directory under the repository {@code root}, built first when needed. */
  static Path builtOrBuild(Path root, PrintStream err) throws IOException {
    Path tools = root.resolve("nested-agent-image");
    Path dir = tools.resolve("out").resolve("agent");
    err.println(
        "demo: the agent image "
            + dir
            + " (build-agent-image.sh: cached when its inputs are unchanged, else 1-3 min)");
    int rc =
        ScriptRun.run(
            List.of(tools.resolve("build-agent-image.sh").toString()),
            dir,
            BUILD_TIMEOUT_MIN,
            err::println,
            err::println,
            null);
    if (rc != 0) {
      throw new IllegalStateException(
          "the agent image build failed (exit " + rc + "); ./spotnest image build shows why");
    }
    for (String f : FILES) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IllegalStateException("the agent image lacks " + dir.resolve(f));
      }
    }
    return dir;
  }
}
