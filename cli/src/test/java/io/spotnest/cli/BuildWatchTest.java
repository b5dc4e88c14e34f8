package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.AgentChannelListener;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's reading of the stand-in build's contract, over a real agent channel on 127.0.0.1. */
class BuildWatchTest {

  private static void send(Socket s, String... lines) throws Exception {
    OutputStream out = s.getOutputStream();
    for (String l : lines) {
      out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
  }

  private static void await(AgentChannelListener ch, int lines) throws InterruptedException {
    for (int i = 0; i < 500 && ch.lines().size() < lines; i++) {
      Thread.sleep(10);
    }
    assertEquals(lines, ch.lines().size());
  }

  @Test
  void oneConnectionOneBootAndStepsRisingByOneIsUnbroken() throws Exception {
    try (AgentChannelListener ch = new AgentChannelListener("127.0.0.1", 0, l -> {});
        Socket a = new Socket("127.0.0.1", ch.port());
        Socket b = new Socket("127.0.0.1", ch.port())) {
      send(
          a,
          "HELLO vm=agent-a boot_id=x1",
          "STEP 1 boot_id=x1 up=3.00",
          "STEP 2 boot_id=x1 up=4.00",
          "STEP 3 boot_id=x1 up=5.00");
      send(
          b,
          "HELLO vm=agent-b boot_id=y1",
          "STEP 1 boot_id=y1 up=3.00",
          "STEP 3 boot_id=y1 up=5.00");
      await(ch, 7);
      BuildWatch w = new BuildWatch(ch);

      BuildWatch.Build ok = w.of("agent-a");
      BuildWatch.Build gap = w.of("agent-b");

      assertTrue(ok.started() && ok.unbroken() && !ok.restarted(), ok.toString());
      assertEquals(3, ok.lastStep());
      assertFalse(gap.unbroken(), "a skipped step breaks the counter");
      assertEquals(1, gap.gaps());
      assertFalse(w.of("agent-c").started());
    }
  }

  @Test
  void aSecondConnectionOrBootIsNotUnbroken() throws Exception {
    try (AgentChannelListener ch = new AgentChannelListener("127.0.0.1", 0, l -> {})) {
      try (Socket a = new Socket("127.0.0.1", ch.port())) {
        send(a, "HELLO vm=agent-a boot_id=x1", "STEP 1 boot_id=x1 up=3.00");
        await(ch, 2);
      }
      try (Socket again = new Socket("127.0.0.1", ch.port())) {
        send(again, "HELLO vm=agent-a boot_id=x2", "STEP 1 boot_id=x2 up=3.00");
        await(ch, 4);
      }

      BuildWatch.Build b = new BuildWatch(ch).of("agent-a");

      assertFalse(b.unbroken());
      assertTrue(b.restarted(), "booted again: the build started over");
    }
  }
}
