package io.spotnest.cli;

import io.spotnest.testbed.DaemonThreads;
import io.spotnest.testbed.GuestImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The test guest booted under plain QEMU with a shell on its serial console instead of its build
 * ({@code rdinit=/bin/busybox -- sh}): one vCPU, no network device at all, and a raw scratch disk
 * ({@code /dev/vda}, {@code cache=none}). A command's time is measured on this machine's clock,
 * from sending it to seeing the end marker it prints.
 */
final class GuestConsoleShell implements TimedShell {

  /** How QEMU runs the guest. */
  enum Accel {
    TCG("tcg", "qemu64"),
    KVM("kvm", "host");

    private final String name;
    private final String cpu;

    Accel(String name, String cpu) {
      this.name = name;
      this.cpu = cpu;
    }

    String label() {
      return name;
    }
  }

  private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(15);
  private static final String SETUP =
      "/bin/busybox mount -t proc proc /proc; /bin/busybox mount -t sysfs sys /sys;"
          + " /bin/busybox mount -t devtmpfs dev /dev; /bin/busybox --install -s /bin; export PATH=/bin;"
          + " for m in $(cat /lib/modules/load-order); do insmod /lib/modules/$m.ko; done;"
          + " test -b /dev/vda";

  private final Process qemu;
  private final OutputStream console;
  private final StringBuilder seen = new StringBuilder();
  private final Duration boot;
  private int commands;
  private boolean ended;

  private GuestConsoleShell(Process qemu) {
    this.qemu = qemu;
    this.console = qemu.getOutputStream();
    DaemonThreads.start("spotnest-guest-console", this::read);
    long start = System.nanoTime();
    awaitText("# ", start, BOOT_TIMEOUT);
    this.boot = Duration.ofNanos(System.nanoTime() - start);
    time(SETUP);
  }

  /**
   * Boots the test guest of {@code image} with a scratch disk of {@code diskMib} MiB at {@code
   * disk} (created sparse; removed by the caller).
   */
  static GuestConsoleShell boot(GuestImage image, Accel accel, Path disk, int diskMib) {
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength((long) diskMib << 20);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the scratch disk " + disk, e);
    }
    List<String> command =
        List.of(
            "qemu-system-x86_64",
            "-accel",
            accel.name,
            "-cpu",
            accel.cpu,
            "-m",
            "256",
            "-smp",
            "1",
            "-nodefaults",
            "-no-user-config",
            "-display",
            "none",
            "-no-reboot",
            "-serial",
            "stdio",
            "-kernel",
            image.kernel().toString(),
            "-initrd",
            image.initramfs().toString(),
            "-append",
            "console=ttyS0 quiet panic=-1 rdinit=/bin/busybox -- sh",
            "-drive",
            "file=" + disk + ",format=raw,if=virtio,cache=none",
            "-nic",
            "none");
    try {
      return new GuestConsoleShell(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start qemu-system-x86_64", e);
    }
  }

  /** QEMU start to the guest's shell prompt. */
  Duration bootTime() {
    return boot;
  }

  @Override
  public Duration time(String command) {
    int n = ++commands;
    // the marker is computed by the guest, so the echoed command line never matches it
    String line = command + "; echo \"SN-END-$((" + n + "+0)) rc=$?\"\n";
    long start = System.nanoTime();
    send(line);
    String rc = awaitText("SN-END-" + n + " rc=", start, STEP_TIMEOUT);
    long end = System.nanoTime();
    if (!rc.equals("0")) {
      throw new IllegalStateException("guest step failed (rc " + rc + "): " + command);
    }
    return Duration.ofNanos(end - start);
  }

  private void send(String text) {
    try {
      console.write(text.getBytes(StandardCharsets.US_ASCII));
      console.flush();
    } catch (IOException e) {
      throw new IllegalStateException("the guest's console is gone: " + tail(), e);
    }
  }

  /** Waits for {@code token}; returns the word that follows it (up to a space or line end). */
  private synchronized String awaitText(String token, long startNanos, Duration timeout) {
    long deadline = startNanos + timeout.toNanos();
    int from = 0;
    while (true) {
      int at = seen.indexOf(token, from);
      if (at >= 0) {
        int s = at + token.length();
        int e = s;
        while (e < seen.length() && !Character.isWhitespace(seen.charAt(e))) {
          e++;
        }
        if (e < seen.length() || token.endsWith(" ")) {
          String word = seen.substring(s, e);
          seen.delete(0, e);
          return word;
        }
      }
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        throw new IllegalStateException(
            (ended
                    ? "QEMU exited"
                    : "no '" + token.strip() + "' within " + timeout.toSeconds() + " s")
                + " (console: "
                + tail()
                + ")");
      }
      try {
        wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private void read() {
    byte[] buf = new byte[4096];
    try (InputStream in = qemu.getInputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (this) {
          seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
          if (seen.length() > 1 << 20) {
            seen.delete(0, seen.length() - (1 << 16));
          }
          notifyAll();
        }
      }
    } catch (IOException e) {
      // QEMU went away; the waiter reports it
    }
    synchronized (this) {
      ended = true;
      notifyAll();
    }
  }

  private synchronized String tail() {
    String t = seen.toString().replaceAll("[\\r\\n]+", " | ").strip();
    return t.length() > 300 ? t.substring(t.length() - 300) : t;
  }

  @Override
  public void close() {
    if (qemu.isAlive()) {
      try {
        send("poweroff -f\n");
      } catch (IllegalStateException e) {
        // already gone
      }
    }
    try {
      if (!qemu.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        qemu.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      qemu.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "GuestConsoleShell(pid %d)", qemu.pid());
  }
}
