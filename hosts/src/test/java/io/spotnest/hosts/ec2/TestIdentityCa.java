package io.spotnest.hosts.ec2;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Stands in for AWS's per-region RSA-2048 signing key in tests: signs instance identity documents
 * the way IMDS's {@code /latest/dynamic/instance-identity/rsa2048} serves them (base64 CMS
 * SignedData, SHA-256 with RSA, the document encapsulated).
 */
public final class TestIdentityCa {
  static final String ACCOUNT = "123456789012";

  /** The public certificate (what AWS publishes per region). */
  public final X509Certificate certificate;

  private final KeyPair keys;

  /** One stand-in for AWS per test JVM (immutable once made). */
  private static final class Shared {
    static final TestIdentityCa AWS;

    static {
      try {
        AWS = new TestIdentityCa("Amazon Web Services LLC (test stand-in)");
      } catch (Exception e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  public static TestIdentityCa aws() {
    return Shared.AWS;
  }

  /** A verifier that trusts {@link #aws()} for {@code region}. */
  static Pkcs7IdentityVerifier awsVerifier(String region) {
    return new Pkcs7IdentityVerifier(aws().certificate, region);
  }

  TestIdentityCa(String commonName) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    keys = gen.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + commonName);
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
    X509CertificateHolder holder =
        new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                name,
                keys.getPublic())
            .build(signer);
    certificate = new JcaX509CertificateConverter().getCertificate(holder);
  }

  /** An identity document shaped like IMDS's (pretty-printed JSON). */
  static String document(String instanceId, String privateIp, String region) {
    return "{\n"
        + "  \"accountId\" : \""
        + ACCOUNT
        + "\",\n"
        + "  \"architecture\" : \"x86_64\",\n"
        + "  \"availabilityZone\" : \""
        + region
        + "a\",\n"
        + "  \"imageId\" : \"ami-0123456789abcdef0\",\n"
        + "  \"instanceId\" : \""
        + instanceId
        + "\",\n"
        + "  \"instanceType\" : \"c8i.2xlarge\",\n"
        + "  \"pendingTime\" : \"2026-11-23T11:00:00Z\",\n"
        + "  \"privateIp\" : \""
        + privateIp
        + "\",\n"
        + "  \"region\" : \""
        + region
        + "\",\n"
        + "  \"version\" : \"2017-09-30\"\n"
        + "}";
  }

  /**
   * Base64 CMS SignedData over {@code document}, as the rsa2048 endpoint serves it (64-character
   * lines).
   */
  String sign(String document) throws Exception {
    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
    gen.addSignerInfoGenerator(
        new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
            .build(
                new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()),
                certificate));
    gen.addCertificates(new JcaCertStore(java.util.List.of(certificate)));
    byte[] der =
        gen.generate(new CMSProcessableByteArray(document.getBytes(StandardCharsets.UTF_8)), true)
            .getEncoded();
    return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
  }

  /** What IMDS's rsa2048 endpoint serves an instance with this id and private IP. */
  public String signedIdentity(String instanceId, String privateIp, String region)
      throws Exception {
    return sign(document(instanceId, privateIp, region));
  }
}
