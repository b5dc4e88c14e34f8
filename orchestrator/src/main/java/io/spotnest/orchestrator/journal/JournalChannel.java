package io.spotnest.orchestrator.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The bytes a {@link FileJournal} appends to: the few {@link FileChannel} calls it makes, a seam so
 * a test can fail a write part-way (a full disk) on a real file.
 */
interface JournalChannel extends AutoCloseable {

  long size() throws IOException;

  /** Writes some of {@code src} at {@code position}; returns how many bytes. */
  int write(ByteBuffer src, long position) throws IOException;

  /** Forces what was written (and, with {@code metaData}, the file's metadata) to disk. */
  void force(boolean metaData) throws IOException;

  /** Cuts the file to {@code size} bytes. */
  void truncate(long size) throws IOException;

  @Override
  void close() throws IOException;

  /** The journal's file itself. */
  record OfFile(FileChannel channel) implements JournalChannel {
    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return channel.write(src, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      channel.force(metaData);
    }

    @Override
    public void truncate(long size) throws IOException {
      channel.truncate(size);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
