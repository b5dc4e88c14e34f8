package io.spotnest.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** Reads PKCS#10 certificate signing requests (PEM) and checks their self-signature. */
final class CertificateRequests {
  private static final int MAX_PEM = 16 * 1024;

  private CertificateRequests() {}

  /**
   * The public key of a request whose signature holds.
   *
   * @throws IllegalArgumentException {@code csr: ...} otherwise (never echoing the input)
   */
  static PublicKey publicKeyOf(String pem) {
    if (pem == null || pem.length() > MAX_PEM) {
      throw new IllegalArgumentException("csr: missing or larger than " + MAX_PEM + " characters");
    }
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("csr: not a PEM certificate request");
    }
    if (!(parsed instanceof PKCS10CertificationRequest request)) {
      throw new IllegalArgumentException("csr: not a PEM certificate request");
    }
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
      PublicKey key = jca.getPublicKey();
      if (!"RSA".equals(key.getAlgorithm()) && !"EC".equals(key.getAlgorithm())) {
        throw new IllegalArgumentException("csr: key algorithm " + key.getAlgorithm());
      }
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("csr: its signature does not match its key");
      }
      return key;
    } catch (PKCSException | OperatorCreationException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("csr: its signature cannot be checked");
    }
  }
}
