package io.spotnest.migration;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Packs regular files into a POSIX ustar archive (owner 0:0, mode 0600, mtime 0, as {@code tar
 * --format=ustar --owner=0 --group=0 --mode=0600 --mtime=@0} writes them) padded with zeros to a
 * fixed image size.
 */
final class UstarImage {

  private static final int BLOCK = 512;

  private UstarImage() {}

  static byte[] of(Map<String, byte[]> files, int imageBytes) {
    long needed = 2L * BLOCK;
    for (byte[] c : files.values()) {
      needed += BLOCK + blocks(c.length);
    }
    if (needed > imageBytes) {
      throw new IllegalArgumentException(
          "config disk: the files need "
              + needed
              + " bytes, more than the "
              + imageBytes
              + " of the disk");
    }
    byte[] image = new byte[imageBytes];
    int at = 0;
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      header(image, at, f.getKey(), f.getValue().length);
      at += BLOCK;
      System.arraycopy(f.getValue(), 0, image, at, f.getValue().length);
      at += blocks(f.getValue().length);
    }
    return image; // the two zero end-of-archive blocks and the padding are already zeros
  }

  private static int blocks(int length) {
    return (length + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static void header(byte[] b, int at, String name, int size) {
    put(b, at, 100, name.getBytes(StandardCharsets.US_ASCII));
    octal(b, at + 100, 8, 0600);
    octal(b, at + 108, 8, 0);
    octal(b, at + 116, 8, 0);
    octal(b, at + 124, 12, size);
    octal(b, at + 136, 12, 0);
    b[at + 156] = '0';
    put(b, at + 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(b, at + 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < 8; i++) {
      b[at + 148 + i] = ' ';
    }
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += b[at + i] & 0xff;
    }
    octal(b, at + 148, 7, sum);
    b[at + 154] = 0; // six digits, a NUL and a space
  }

  /** Zero-padded octal digits filling the field but its last byte, which stays NUL. */
  private static void octal(byte[] b, int at, int width, long value) {
    String digits = Long.toOctalString(value);
    int n = width - 1;
    if (digits.length() > n) {
      throw new IllegalArgumentException("config disk: " + value + " does not fit a tar header");
    }
    put(b, at, n, ("0".repeat(n - digits.length()) + digits).getBytes(StandardCharsets.US_ASCII));
  }

  private static void put(byte[] b, int at, int width, byte[] v) {
    if (v.length > width) {
      throw new IllegalArgumentException("config disk: a tar header field is too long");
    }
    System.arraycopy(v, 0, b, at, v.length);
  }
}
