package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;

class LibvirtMigrateOptionsTest {

  @Test
  void migrationTrafficIsTlsWhateverTheTuning() {
    MigrationSettings d = MigrationSettings.defaults();
    List<MigrationSettings> all =
        List.of(
            d,
            d.withAutoConverge(true),
            d.withCopyStorage(false),
            d.withCompression(MigrationSettings.Compression.XBZRLE),
            d.withPostCopy(PostCopyPolicy.whenNeeded()),
            d.withPostCopy(PostCopyPolicy.after(Duration.ofSeconds(5))).withAutoConverge(true));
    for (MigrationSettings s : all) {
      assertEquals(
          Domain.MigrateFlags.TLS,
          LibvirtMigrateOptions.flags(s) & Domain.MigrateFlags.TLS,
          "no TLS flag for " + s);
    }
  }

  @Test
  void a_post_copy_resume_keeps_the_migrations_tls_and_peer_to_peer_flags() {
    MigrationSettings s =
        MigrationSettings.defaults().withPostCopy(PostCopyPolicy.after(Duration.ofSeconds(3)));
    int resume = LibvirtMigrateOptions.resumeFlags(s);
    int kept =
        Domain.MigrateFlags.TLS
            | Domain.MigrateFlags.PEER2PEER
            | Domain.MigrateFlags.LIVE
            | Domain.MigrateFlags.PERSIST_DEST
            | Domain.MigrateFlags.UNDEFINE_SOURCE
            | Domain.MigrateFlags.POSTCOPY
            | Domain.MigrateFlags.POSTCOPY_RESUME;
    assertEquals(kept, resume & kept);
    assertEquals(0, resume & Domain.MigrateFlags.NON_SHARED_INC, "the disks were copied before");
  }

  /**
   * libvirt-java 0.5.4 cannot pass zero typed parameters: its migrateToURI builds the native array
   * with JNA's Structure.toArray(0), which throws. A post-copy resume at unlimited bandwidth had
   * none (no disks, no compression) and every resume threw "Index 0 out of bounds for length 0"
   * before reaching libvirt (MigrationFaultLabTest, streams reset mid post-copy).
   */
  @Test
  void the_parameters_of_a_call_are_never_empty_as_libvirt_java_cannot_pass_none() {
    MigrationSettings unlimited =
        MigrationSettings.defaults()
            .withBandwidthMiBps(0)
            .withCopyStorage(false)
            .withCompression(MigrationSettings.Compression.NONE);
    org.junit.jupiter.api.Assertions.assertThrows(
        ArrayIndexOutOfBoundsException.class,
        () -> new org.libvirt.jna.virTypedParameter().toArray(0),
        "libvirt-java's native array of zero parameters");
    for (String target : java.util.Arrays.asList(null, "vdb")) {
      org.libvirt.TypedParameter[] p =
          LibvirtMigrateOptions.parameters(unlimited, target, "vm1", null);
      org.junit.jupiter.api.Assertions.assertTrue(p.length > 0, "no parameters for " + unlimited);
    }
    org.libvirt.TypedParameter[] resume =
        LibvirtMigrateOptions.parameters(unlimited, null, "vm1", null);
    assertEquals(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME, resume[0].field);
    assertEquals("vm1", resume[0].getValueAsString(), "the VM keeps its own name");
  }

  @Test
  void a_destination_xml_travels_as_libvirts_dest_xml_parameter_and_only_when_given() {
    MigrationSettings s = MigrationSettings.defaults().withBandwidthMiBps(10);
    org.libvirt.TypedParameter[] with =
        LibvirtMigrateOptions.parameters(s, "vda", "vm1", "<domain>x</domain>");
    org.libvirt.TypedParameter[] without = LibvirtMigrateOptions.parameters(s, "vda", "vm1", null);
    assertEquals(
        java.util.List.of("<domain>x</domain>"),
        java.util.Arrays.stream(with)
            .filter(p -> p.field.equals(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_XML))
            .map(org.libvirt.TypedParameter::getValueAsString)
            .toList());
    assertEquals(
        0,
        java.util.Arrays.stream(without)
            .filter(p -> p.field.equals(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_XML))
            .count());
    assertEquals(without.length + 1, with.length);
  }
}
