package io.spotnest.orchestrator.port;

import java.util.Locale;

/**
 * What a standing copy's stream costs when its backup is in another zone than its source: the
 * transfer between zones is billed on both sides (issue 12 item 4), first for the guest's whole
 * memory, then for the pages it keeps dirtying while the copy stands.
 *
 * @param streamGiBPerHour what the stream sends per hour once synced
 * @param streamUsdPerHour what that costs per hour
 * @param firstSyncGiB what the first sync sends
 * @param firstSyncUsd what that costs
 */
public record CrossZoneCopyCost(
    double streamGiBPerHour, double streamUsdPerHour, double firstSyncGiB, double firstSyncUsd) {
  /** One line for the journal and the tick report. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "transfer billed both ways: first sync %.1f GiB (%.2f USD), then about %.0f GiB/h (%.2f"
            + " USD/h)",
        firstSyncGiB,
        firstSyncUsd,
        streamGiBPerHour,
        streamUsdPerHour);
  }
}
