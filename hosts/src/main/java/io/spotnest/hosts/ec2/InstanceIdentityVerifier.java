package io.spotnest.hosts.ec2;

/**
 * Checks a host's signed instance identity document (seam: AWS's per-region certificate in
 * production, a test CA in tests).
 */
public interface InstanceIdentityVerifier {
  /**
   * @param signed what the host read from IMDS {@code /latest/dynamic/instance-identity/rsa2048}
   *     (base64 CMS SignedData with the document inside)
   * @return the identity the signature vouches for
   * @throws IdentityRejectedException when the signature, the signer or the document does not hold
   */
  InstanceIdentity verify(String signed) throws IdentityRejectedException;
}
