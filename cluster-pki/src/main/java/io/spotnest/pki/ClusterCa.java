package io.spotnest.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of one SpotNest cluster, for libvirt's TLS (libvirtd on 16514 and
 * peer-to-peer migration): it issues each host a certificate whose subject alternative names are
 * exactly the addresses and names the controller and the other hosts use to reach it (private IPs
 * included, so hostname checks pass), and client certificates for the controller and for hosts
 * acting as migration clients. RSA keys with digitalSignature and keyEncipherment usage, as
 * libvirt's GnuTLS checks expect. Keys are written only to 0600 files and never printed.
 */
public final class ClusterCa {
  public static final String CA_CERT = "ca-cert.pem";
  public static final String CA_KEY = "ca-key.pem";
  private static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern DNS =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private ClusterCa(X509Certificate certificate, PrivateKey key, Clock clock) {
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
  }

  /** A new CA (RSA 3072) for {@code cluster}, valid for {@code validity}. */
  public static ClusterCa create(String cluster, Clock clock, Duration validity) {
    if (cluster == null || !CLUSTER.matcher(cluster).matches()) {
      throw new IllegalArgumentException(
          "cluster: expected 1-40 of a-z 0-9 -, got '" + cluster + "'");
    }
    KeyPair pair = rsa(3072);
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "SpotNest")
            .addRDN(BCStyle.CN, "SpotNest cluster " + cluster + " CA")
            .build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      Instant now = clock.instant();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(new SecureRandom()),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  name,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new ClusterCa(sign(b, pair.getPrivate()), pair.getPrivate(), clock);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the cluster CA", e);
    }
  }

  /** Loads a CA written by {@link #write(Path)}. */
  public static ClusterCa load(Path dir, Clock clock) throws IOException {
    return new ClusterCa(
        PemFiles.readCertificate(dir.resolve(CA_CERT)),
        PemFiles.readKey(dir.resolve(CA_KEY), "RSA"),
        clock);
  }

  /** Loads the CA from {@code dir}, or creates and writes one there when there is none. */
  public static ClusterCa loadOrCreate(Path dir, String cluster, Clock clock, Duration validity)
      throws IOException {
    if (Files.exists(dir.resolve(CA_CERT)) || Files.exists(dir.resolve(CA_KEY))) {
      return load(dir, clock);
    }
    ClusterCa ca = create(cluster, clock, validity);
    ca.write(dir);
    return ca;
  }

  /**
   * Writes {@value #CA_CERT} and {@value #CA_KEY} (both mode 0600) into {@code dir} (created with
   * mode 0700).
   */
  public void write(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    PemFiles.writeKey(dir.resolve(CA_KEY), key);
    PemFiles.writeCertificate(dir.resolve(CA_CERT), certificate);
  }

  /**
   * Writes the CA certificate alone (mode 0600), for a party that trusts the CA but must not hold
   * its key.
   */
  public void writeCertificate(Path file) throws IOException {
    PemFiles.writeCertificate(file, certificate);
  }

  /**
   * The CA certificate hosts and the controller trust ({@code /etc/pki/CA/cacert.pem} for libvirt).
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * A host certificate for libvirtd: server and client use (a host is the client in peer-to-peer
   * migration).
   *
   * @param host the host's name (subject CN)
   * @param names every IP address and DNS name the host is reached by; each becomes a subject
   *     alternative name
   */
  public IssuedCertificate issueHost(String host, List<String> names, Duration validity) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException(
          "names: a host certificate needs at least one address or name");
    }
    return issue(
        host,
        names,
        validity,
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
  }

  /**
   * A host certificate for a key the host generated and keeps: signs the public key of {@code
   * csrPem} (PKCS#10, its self-signature checked as proof of possession) for server and client use.
   * The subject and the subject alternative names are the ones given here, vouched for by the
   * caller (e.g. from the host's signed instance identity); whatever the request itself claims is
   * ignored.
   *
   * @throws IllegalArgumentException {@code csr: ...} when the request is malformed or its
   *     signature does not hold; {@code names: ...} as {@link #issueHost}
   */
  public X509Certificate signHost(
      String csrPem, String host, List<String> names, Duration validity) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException(
          "names: a host certificate needs at least one address or name");
    }
    return certify(
        host,
        names,
        validity,
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
        CertificateRequests.publicKeyOf(csrPem));
  }

  /** PEM text of a certificate (public; for files, user data and HTTP answers). */
  public static String pem(X509Certificate certificate) {
    return PemFiles.pemText(certificate);
  }

  /** A client certificate (e.g. the controller's, for its libvirt connections). */
  public IssuedCertificate issueClient(String name, Duration validity) {
    return issue(name, List.of(), validity, new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth});
  }

  private IssuedCertificate issue(
      String commonName, List<String> names, Duration validity, KeyPurposeId[] purposes) {
    KeyPair pair = rsa(2048);
    return new IssuedCertificate(
        certify(commonName, names, validity, purposes, pair.getPublic()), pair.getPrivate());
  }

  private X509Certificate certify(
      String commonName,
      List<String> names,
      Duration validity,
      KeyPurposeId[] purposes,
      PublicKey publicKey) {
    if (commonName == null || !DNS.matcher(commonName).matches()) {
      throw new IllegalArgumentException(
          "name: expected a host or client name, got '" + commonName + "'");
    }
    Objects.requireNonNull(validity, "validity");
    List<GeneralName> sans = new ArrayList<>();
    for (String n : names) {
      sans.add(generalName(n));
    }
    Instant now = clock.instant();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "SpotNest")
            .addRDN(BCStyle.CN, commonName)
            .build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(random),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  subject,
                  publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate));
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      return sign(b, key);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
    }
  }

  /**
   * An IP literal becomes an iPAddress name, anything else must be a DNS name; nothing is ever
   * resolved.
   */
  private static GeneralName generalName(String n) {
    if (n != null
        && (IPV4.matcher(n).matches() || (n.contains(":") && n.matches("[0-9A-Fa-f:.]+")))) {
      return new GeneralName(GeneralName.iPAddress, n);
    }
    if (n == null || !DNS.matcher(n).matches()) {
      throw new IllegalArgumentException(
          "names: '" + n + "' is neither an IP address nor a DNS name");
    }
    return new GeneralName(GeneralName.dNSName, n);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(bits);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no RSA key generator", e);
    }
  }

  /** Names the CA only; its key is never printed. */
  @Override
  public String toString() {
    return "ClusterCa(" + certificate.getSubjectX500Principal() + ", key ****)";
  }
}
