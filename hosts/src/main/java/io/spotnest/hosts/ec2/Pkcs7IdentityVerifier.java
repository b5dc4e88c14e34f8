package io.spotnest.hosts.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.hosts.events.JsonFields;
import io.spotnest.hosts.events.MalformedEventException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Verifies the RSA-2048 signature of an EC2 instance identity document: a CMS (PKCS7) SignedData
 * whose encapsulated content is the document, signed with SHA-256/RSA by the key of AWS's public
 * RSA-2048 certificate for the region. Only that certificate is trusted (any certificate embedded
 * in the message is ignored), and the document's region must be the expected one.
 */
public final class Pkcs7IdentityVerifier implements InstanceIdentityVerifier {
  private static final int MAX_SIGNED = 16 * 1024;

  private final X509Certificate signer;
  private final String region;

  /**
   * @param signer AWS's RSA-2048 public certificate for {@code region} (see docs/aws.md), or a test
   *     CA's
   * @param region the region the hosts run in
   */
  public Pkcs7IdentityVerifier(X509Certificate signer, String region) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.region = Objects.requireNonNull(region, "region");
  }

  /** Reads the certificate from a PEM file. */
  public static Pkcs7IdentityVerifier fromPem(Path certificate, String region) throws IOException {
    try (InputStream in = Files.newInputStream(certificate)) {
      return new Pkcs7IdentityVerifier(
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in),
          region);
    } catch (CertificateException e) {
      throw new IOException(certificate + ": not a PEM X.509 certificate", e);
    }
  }

  @Override
  public InstanceIdentity verify(String signed) throws IdentityRejectedException {
    if (signed == null || signed.isBlank()) {
      throw new IdentityRejectedException("no instance identity signature");
    }
    if (signed.length() > MAX_SIGNED) {
      throw new IdentityRejectedException(
          "instance identity signature longer than " + MAX_SIGNED + " characters");
    }
    byte[] document = verifiedContent(signed);
    InstanceIdentity identity = parse(new String(document, StandardCharsets.UTF_8));
    if (!region.equals(identity.region())) {
      throw new IdentityRejectedException(
          "instance identity is for region " + identity.region() + ", expected " + region);
    }
    return identity;
  }

  private byte[] verifiedContent(String signed) throws IdentityRejectedException {
    CMSSignedData cms;
    try {
      String base64 =
          signed.replace("-----BEGIN PKCS7-----", "").replace("-----END PKCS7-----", "");
      cms = new CMSSignedData(Base64.getMimeDecoder().decode(base64));
    } catch (IllegalArgumentException | CMSException e) {
      throw new IdentityRejectedException(
          "instance identity signature is not base64 CMS SignedData", e);
    }
    if (cms.getSignedContent() == null
        || !(cms.getSignedContent().getContent() instanceof byte[] content)) {
      throw new IdentityRejectedException(
          "instance identity signature does not contain the document");
    }
    Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
    if (signers.size() != 1) {
      throw new IdentityRejectedException(
          "instance identity signature has " + signers.size() + " signers, expected 1");
    }
    try {
      if (!signers
          .iterator()
          .next()
          .verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer))) {
        throw new IdentityRejectedException(
            "instance identity signature does not verify with the region's certificate");
      }
    } catch (CMSException | OperatorCreationException e) {
      throw new IdentityRejectedException(
          "instance identity signature does not verify with the region's certificate", e);
    }
    return content;
  }

  private static InstanceIdentity parse(String document) throws IdentityRejectedException {
    try {
      JsonNode doc = JsonFields.object("instance identity document", document);
      return new InstanceIdentity(
          JsonFields.text(doc, "instanceId"),
          JsonFields.text(doc, "privateIp"),
          JsonFields.text(doc, "region"),
          JsonFields.text(doc, "accountId"));
    } catch (MalformedEventException e) {
      throw new IdentityRejectedException(
          "signed instance identity document: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Pkcs7IdentityVerifier(" + signer.getSubjectX500Principal() + ", region " + region + ")";
  }
}
