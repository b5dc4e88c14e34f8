package io.spotnest.migration;

import java.time.Duration;

/**
 * What a link showed on the engine's last finished pre-copy move over it ({@link
 * MigrationEngine#linkFigures}).
 *
 * @param efficiency the stream's rate against the bandwidth the move was planned with
 * @param setup the move's time beyond what its bytes took at that rate
 */
public record LinkFigures(double efficiency, Duration setup) {}
