package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeysTest {
  @TempDir Path dir;

  @Test
  void aKeyPairIsMadeWithItsPublicHalfBesideIt() throws Exception {
    Path key = dir.resolve("client_key");
    SshKeys.generate(key, "spotnest-test");
    assertTrue(Files.readString(key).contains("OPENSSH PRIVATE KEY"), "no private key");
    String pub = Files.readString(dir.resolve("client_key.pub")).strip();
    assertTrue(pub.startsWith("ssh-ed25519 ") && pub.endsWith(" spotnest-test"), pub);
  }

  @Test
  void aKeyThatCannotBeWrittenIsAnErrorNamingTheCommand() {
    TestbedException e =
        assertThrows(
            TestbedException.class,
            () -> SshKeys.generate(dir.resolve("missing").resolve("key"), "x"));
    assertTrue(e.getMessage().contains("ssh-keygen"), e.getMessage());
  }
}
