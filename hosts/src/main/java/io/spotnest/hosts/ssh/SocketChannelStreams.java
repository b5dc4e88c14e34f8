package io.spotnest.hosts.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * Streams over a blocking {@link SocketChannel} (also a unix-domain one) that one thread can read
 * while another writes. ({@code Channels.newInputStream} holds the channel's blocking lock during a
 * read, which would block a concurrent write.) Closing the input closes the channel; closing the
 * output only shuts down the write side, so an EOF from the remote end is passed on as a
 * half-close.
 */
final class SocketChannelStreams {
  private SocketChannelStreams() {}

  static InputStream input(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        return channel.read(ByteBuffer.wrap(b, off, len));
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  static OutputStream output(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }

      @Override
      public void close() throws IOException {
        try {
          channel.shutdownOutput();
        } catch (ClosedChannelException alreadyClosed) {
          // the input side closed it first
        }
      }
    };
  }
}
