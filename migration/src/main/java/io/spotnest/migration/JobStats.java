package io.spotnest.migration;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.libvirt.DomainJobStats;
import org.libvirt.TypedParameter;

/**
 * libvirt's migration job statistics (virDomainGetJobStats), by field name.
 *
 * @param type libvirt's job type ({@link #NONE} when there is no job)
 * @param fields the typed parameters, as strings
 */
public record JobStats(int type, Map<String, String> fields) {

  /** VIR_DOMAIN_JOB_NONE: no job (or it already ended). */
  public static final int NONE = 0;

  /** VIR_DOMAIN_JOB_STATS_COMPLETED: ask for the statistics of the job that just finished. */
  static final int COMPLETED = 1;

  public JobStats {
    fields = Map.copyOf(fields);
  }

  /** No job. */
  public static JobStats none() {
    return new JobStats(NONE, Map.of());
  }

  static JobStats of(DomainJobStats s) {
    Map<String, String> m = new HashMap<>();
    if (s.stats != null) {
      for (TypedParameter p : s.stats) {
        m.put(p.field, p.getValueAsString());
      }
    }
    return new JobStats(s.type, m);
  }

  /**
   * An incoming migration's job, whose statistics libvirt keeps on the source: active, operation
   * "migration in", no figures.
   */
  static JobStats incomingMigration() {
    return new JobStats(
        2, Map.of("time_elapsed", "0", "operation", Integer.toString(OPERATION_MIGRATION_IN)));
  }

  public long get(String field) {
    String v = fields.get(field);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return (long) Double.parseDouble(v.trim());
    }
  }

  /**
   * libvirt's VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT: the job sends the domain away (this host is
   * the source).
   */
  static final int OPERATION_MIGRATION_OUT = 5;

  /**
   * libvirt's VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN: the job receives the domain (this host is the
   * destination).
   */
  static final int OPERATION_MIGRATION_IN = 4;

  /** libvirt's job operation ("operation"), 0 when not reported. */
  public long operation() {
    return get("operation");
  }

  public boolean active() {
    return type != NONE && fields.containsKey("time_elapsed");
  }

  public MigrationProgress progress(boolean postCopy) {
    long pageSize = Math.max(1, get("memory_page_size"));
    return new MigrationProgress(
        Duration.ofMillis(get("time_elapsed")),
        get("memory_processed"),
        get("memory_remaining"),
        get("disk_processed"),
        get("disk_remaining"),
        get("memory_dirty_rate") * pageSize,
        get("memory_iteration"),
        postCopy);
  }
}
