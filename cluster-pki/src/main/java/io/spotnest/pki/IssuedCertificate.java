package io.spotnest.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate issued by a {@link ClusterCa} and its private key. The key is never printed: {@link
 * #toString()} names the subject only.
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {
  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
  }

  /** Writes the certificate and the key (PKCS#8) as PEM files of mode 0600. */
  public void write(Path certificateFile, Path keyFile) throws IOException {
    PemFiles.writeCertificate(certificateFile, certificate);
    PemFiles.writeKey(keyFile, key);
  }

  @Override
  public String toString() {
    return "IssuedCertificate(" + certificate.getSubjectX500Principal() + ", key ****)";
  }
}
