package io.spotnest.migration;

/** How the engine runs a move, as chosen by {@link TuningChoice}. */
public enum Tuning {
  /**
   * Plain pre-copy: the guest is never slowed and the source keeps the authoritative copy until the
   * switch.
   */
  PRE_COPY("pre-copy"),
  /** Pre-copy with QEMU throttling the guest's vCPUs until the copy converges. */
  AUTO_CONVERGE("auto-converge"),
  /**
   * One pre-copy pass, then post-copy: the guest runs on the destination while the rest is pulled.
   */
  POST_COPY("post-copy"),
  /** Nothing was chosen (refused before a tuning applied). */
  NONE("none");

  private final String label;

  Tuning(String label) {
    this.label = label;
  }

  /** The name printed in reports and summary lines. */
  public String label() {
    return label;
  }
}
