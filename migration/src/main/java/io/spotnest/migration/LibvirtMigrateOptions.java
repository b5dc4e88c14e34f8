package io.spotnest.migration;

import java.util.ArrayList;
import java.util.List;
import org.libvirt.Domain;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

/** libvirt's migration flags and typed parameters for a set of {@link MigrationSettings}. */
final class LibvirtMigrateOptions {

  private LibvirtMigrateOptions() {}

  /**
   * The typed parameters of a migrate (or post-copy resume) call of {@code vmName}; never empty:
   * libvirt-java 0.5.4 throws on zero parameters (JNA's Structure.toArray(0)), so a call that has
   * none otherwise (unlimited bandwidth, no disks, no compression: every resume at full speed)
   * names the VM's own name as the destination name, which changes nothing. {@code destinationXml},
   * when given, is the domain XML the destination runs the VM with (VIR_MIGRATE_PARAM_DEST_XML).
   */
  static TypedParameter[] parameters(
      MigrationSettings s, String diskTarget, String vmName, String destinationXml) {
    TypedParameter[] p = parameters(s, diskTarget, destinationXml);
    return p.length > 0
        ? p
        : new TypedParameter[] {
          new TypedStringParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME, vmName)
        };
  }

  private static TypedParameter[] parameters(
      MigrationSettings s, String diskTarget, String destinationXml) {
    List<TypedParameter> p = new ArrayList<>();
    if (destinationXml != null) {
      p.add(
          new TypedStringParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_XML, destinationXml));
    }
    if (s.bandwidthMiBps() > 0) {
      p.add(
          new TypedUlongParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH, s.bandwidthMiBps()));
    }
    if (s.copyStorage() && diskTarget != null) {
      p.add(
          new TypedStringParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_MIGRATE_DISKS, diskTarget));
    }
    if (s.compression() == MigrationSettings.Compression.XBZRLE) {
      p.add(
          new TypedStringParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_COMPRESSION, "xbzrle"));
    }
    return p.toArray(TypedParameter[]::new);
  }

  /**
   * The flags that resume a failed post-copy: those of the migration it continues (TLS, peer to
   * peer, persistence), with post-copy and VIR_MIGRATE_POSTCOPY_RESUME; without the disk copy,
   * which ended before the switch.
   */
  static int resumeFlags(MigrationSettings s) {
    return flags(s.withCopyStorage(false))
        | Domain.MigrateFlags.POSTCOPY
        | Domain.MigrateFlags.POSTCOPY_RESUME;
  }

  /** Always TLS: memory and disk pages travel encrypted, with both hosts' certificates checked. */
  static int flags(MigrationSettings s) {
    int f =
        Domain.MigrateFlags.LIVE
            | Domain.MigrateFlags.PEER2PEER
            | Domain.MigrateFlags.PERSIST_DEST
            | Domain.MigrateFlags.UNDEFINE_SOURCE
            | Domain.MigrateFlags.ABORT_ON_ERROR
            | Domain.MigrateFlags.TLS;
    if (s.autoConverge()) {
      f |= Domain.MigrateFlags.AUTO_CONVERGE;
    }
    if (s.copyStorage()) {
      f |= Domain.MigrateFlags.NON_SHARED_INC;
    }
    if (s.compression() != MigrationSettings.Compression.NONE) {
      f |= Domain.MigrateFlags.COMPRESSED;
    }
    if (s.postCopy().allowed()) {
      f |= Domain.MigrateFlags.POSTCOPY;
    }
    return f;
  }
}
