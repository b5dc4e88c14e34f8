package io.spotnest.jenkins.port;

/**
 * What a template says about a standing copy of its agents (issue 12): a live copy of the agent's
 * memory kept on a second host, so that a reclaim costs its build no restart.
 */
public enum StandingCopyWish {
  /** Ask for one: the fleet gives it whenever its copy mode finds it worth it. */
  ALWAYS("Always keep a standing copy"),
  /**
   * Leave it to the fleet: a fleet in copy mode AT_RISK gives one where the loss beats the cost.
   */
  FLEET("Let the fleet decide"),
  /** Refuse one, whatever the fleet's copy mode. */
  NEVER("Never");

  private final String displayName;

  StandingCopyWish(String displayName) {
    this.displayName = displayName;
  }

  /** The label shown in the template's drop-down. */
  public String displayName() {
    return displayName;
  }

  /** The choice a configuration saved with the yes/no box stood for: yes always, no never. */
  public static StandingCopyWish ofBox(boolean ticked) {
    return ticked ? ALWAYS : NEVER;
  }
}
