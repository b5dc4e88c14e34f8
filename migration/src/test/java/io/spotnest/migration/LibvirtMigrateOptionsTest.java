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
}
