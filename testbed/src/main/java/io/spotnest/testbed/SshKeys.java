package io.spotnest.testbed;

import java.nio.file.Path;

/** Throw-away SSH key pairs for the lab and the tests. */
public final class SshKeys {
  private SshKeys() {}

  /**
   * An unencrypted ed25519 key pair made by ssh-keygen: the private key at {@code key}, the public
   * one beside it ({@code key}.pub), marked {@code comment}.
   *
   * @throws TestbedException when ssh-keygen fails or takes longer than a minute
   */
  public static void generate(Path key, String comment) {
    new Shell()
        .run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString());
  }
}
