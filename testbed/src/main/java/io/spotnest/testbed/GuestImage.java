package io.spotnest.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny test guest built by {@code nested-agent-image/build-test-guest.sh}: a kernel, a busybox
 * initramfs with the stand-in build, and the base image of the workspace disk.
 */
public record GuestImage(Path kernel, Path initramfs, Path workspaceBase) {

  public static final String WORKSPACE_BASE_NAME = "workspace-base.qcow2";

  /** The image in {@code dir}, failing with the command that builds it when a file is missing. */
  public static GuestImage in(Path dir) {
    GuestImage img =
        new GuestImage(
            dir.resolve("vmlinuz"),
            dir.resolve("initramfs.cpio.gz"),
            dir.resolve(WORKSPACE_BASE_NAME));
    for (Path p : new Path[] {img.kernel, img.initramfs, img.workspaceBase}) {
      if (!Files.isRegularFile(p)) {
        throw new TestbedException(
            "test guest image incomplete: "
                + p
                + " is missing; build it with nested-agent-image/build-test-guest.sh");
      }
    }
    return img;
  }

  /**
   * The image where the launcher builds it: $SPOTNEST_IMAGE_OUT, else {@code
   * <repo>/nested-agent-image/out/test-guest}.
   */
  public static GuestImage locate() {
    String env = System.getenv("SPOTNEST_IMAGE_OUT");
    if (env != null && !env.isBlank()) {
      return in(Path.of(env));
    }
    return in(RepoRoot.find().resolve("nested-agent-image/out/test-guest"));
  }
}
