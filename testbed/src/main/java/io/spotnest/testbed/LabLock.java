package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive claim on a lab index, held by an OS file lock: it dies with the process that holds it, so a lab left
 * by a killed process can be recognised (its ledger exists, its lock is free) and cleaned.
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
  public static LabLock tryAcquire(Path stateRoot, int index) {
    try {
      Files.createDirectories(stateRoot);
      FileChannel ch = FileChannel.open(stateRoot.resolve(index + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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

  public int index() {
    return index;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
