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
}
