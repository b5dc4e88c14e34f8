package io.spotnest.strategy.sim;

/**
 * Why a build was restarted, as measured in the run: the state of its agent's protection when its
 * host got the notice (a reclaimed host always gets the full notice in the simulator), or, for an
 * agent that was in a move then (which had dropped any copy), when that move started.
 */
public enum RestartCause {
  /** No copy: the policy found its expected loss below the copy's share of a backup. */
  DECLINED("declined"),
  /** No copy: the policy found its expected loss below the cost of a new backup. */
  DECLINED_NEW_BACKUP("declined_new_backup"),
  /** No copy: the host's link already carried as many standing streams as it keeps up with. */
  HOST_LINK_FULL("host_link_full"),
  /** No copy: it was migrating when copies were last decided (a VM has one outgoing stream). */
  MIGRATING("migrating"),
  /** No copy: no copy decision was made for it yet (placed since the last one). */
  UNDECIDED("undecided"),
  /** No copy: the strategy keeps none (standing copies off, or a strategy without them). */
  NO_COPIES("no_copies"),
  /** No copy: its build did not ask for one (its {@link CopyWish}), whatever the copy mode. */
  NOT_ASKED("not_asked"),
  /** A copy waiting for its backup host's launch. */
  BACKUP_LAUNCHING("backup_launching"),
  /** A copy whose first pass had not reached the backup yet. */
  COPY_SYNCING("copy_syncing"),
  /** A copy that had been current and then fell behind the guest's dirty rate. */
  COPY_LAGGING("copy_lagging"),
  /**
   * A current copy whose flush, queued behind the backup's others, would end after the deadline.
   */
  FLUSH_LATE("flush_late"),
  /** A copy whose backup host was gone. */
  BACKUP_GONE("backup_gone"),
  /** It came onto the host after the host's notice. */
  AFTER_NOTICE("after_notice");

  /** The kind of move an agent was in at its host's notice (it could then not be flushed). */
  public enum Move {
    /** A burst drain's move, started by the notice of another host of its pool. */
    BURST_DRAIN("burst_drain"),
    /** An early (risk) evacuation. */
    EARLY_EVACUATION("early_evacuation"),
    /** Any other move (consolidation, move back). */
    OTHER("other");

    private final String key;

    Move(String key) {
      this.key = key;
    }

    /** The name printed in the simulator's breakdown. */
    public String key() {
      return key;
    }
  }

  private final String key;

  RestartCause(String key) {
    this.key = key;
  }

  /** The name printed in the simulator's breakdown. */
  public String key() {
    return key;
  }
}
