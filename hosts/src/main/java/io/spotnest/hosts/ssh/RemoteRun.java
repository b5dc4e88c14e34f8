package io.spotnest.hosts.ssh;

/**
 * How one command run on a static host over its SSH session ended.
 *
 * @param exitStatus the command's exit status; -1 when it did not run or did not end in time
 * @param stderr what it wrote to stderr (at most {@value #MAX_STDERR} characters), or why it did
 *     not run
 */
record RemoteRun(int exitStatus, String stderr) {
  static final int MAX_STDERR = 500;

  RemoteRun {
    stderr = stderr == null ? "" : stderr.strip();
    if (stderr.length() > MAX_STDERR) {
      stderr = stderr.substring(0, MAX_STDERR) + "...";
    }
  }

  boolean succeeded() {
    return exitStatus == 0;
  }
}
