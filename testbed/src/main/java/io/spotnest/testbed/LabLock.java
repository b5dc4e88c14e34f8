package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Exclusive claim on a lab index, held by an OS file lock: it dies with the process that holds it,
 * so a lab left by a killed process can be recognised (its ledger exists, its lock is free) and
 * cleaned.
 *
 * <p>The lock is a POSIX record lock, which the kernel drops as soon as its owner closes
 * <em>any</em> descriptor of the file, so merely opening the file to ask would release a lock this
 * JVM holds. A lock file that any process (this one included) has locked, as {@code /proc/locks}
 * lists, is therefore never opened.
 */
public final class LabLock implements AutoCloseable {

  private final int index;
  private final FileChannel channel;
  private final FileLock lock;

  private LabLock(int index, FileChannel channel, FileLock lock) {
    this.index = index;
    this.channel = channel;
    this.lock = lock;
  }

  /** Returns the lock, or null when another holder has it. */
  public static synchronized LabLock tryAcquire(Path stateRoot, int index) {
    try {
      Files.createDirectories(stateRoot);
      Path file = stateRoot.resolve(index + ".lock");
      if (Files.exists(file) && lockedByAnyProcess(file)) {
        return null;
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        return null;
      }
      return new LabLock(index, ch, l);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock lab " + index + " in " + stateRoot, e);
    }
  }

  /** True when {@code /proc/locks} lists a lock on this very file (same device and inode). */
  static boolean lockedByAnyProcess(Path file) throws IOException {
    long dev = (Long) Files.getAttribute(file, "unix:dev");
    long ino = (Long) Files.getAttribute(file, "unix:ino");
    long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    String id = String.format("%02x:%02x:%d", major, minor, ino);
    List<String> locks = Files.readAllLines(Path.of("/proc/locks"));
    // "1: POSIX  ADVISORY  WRITE 1234 fe:00:398611 0 EOF"; waiters ("1: -> POSIX ...") hold nothing
    return locks.stream()
        .filter(l -> !l.contains("->"))
        .map(l -> l.trim().split("\\s+"))
        .anyMatch(f -> f.length > 5 && f[5].equals(id));
  }

  public int index() {
    return index;
  }

  @Override
  public void close() {
    synchronized (LabLock.class) {
      release();
    }
  }

  private void release() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
