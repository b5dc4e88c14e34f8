package io.spotnest.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * PEM files of certificates and unencrypted PKCS#8 keys, always created with mode 0600 (never
 * wider, not even briefly).
 */
final class PemFiles {
  private static final String CERT = "CERTIFICATE";
  private static final String KEY = "PRIVATE KEY";

  private PemFiles() {}

  static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    try {
      writePrivately(file, pem(CERT, certificate.getEncoded()));
    } catch (CertificateException e) {
      throw new IOException("cannot encode the certificate for " + file, e);
    }
  }

  static void writeKey(Path file, PrivateKey key) throws IOException {
    writePrivately(file, pem(KEY, key.getEncoded()));
  }

  static String pemText(X509Certificate certificate) {
    try {
      return new String(pem(CERT, certificate.getEncoded()), StandardCharsets.US_ASCII);
    } catch (CertificateException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }

  static X509Certificate readCertificate(Path file) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    } catch (CertificateException e) {
      throw new IOException(file + ": not a PEM certificate", e);
    }
  }

  static PrivateKey readKey(Path file, String algorithm) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN " + KEY + "-----");
    int end = text.indexOf("-----END " + KEY + "-----");
    if (begin < 0 || end < begin) {
      throw new IOException(file + ": not a PEM PKCS#8 private key");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + KEY.length() + 16, end));
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IOException(file + ": not a PEM PKCS#8 " + algorithm + " private key", e);
    }
  }

  private static byte[] pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes a new 0600 file next to the target, then renames it over the target. */
  private static void writePrivately(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp =
        Files.createTempFile(
            dir,
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
