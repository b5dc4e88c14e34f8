package io.spotnest.strategy.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads DescribeSpotPriceHistory as TSV without header: {@code az_id instance_type
 * product_description spot_price_usd timestamp_iso8601}.
 */
public final class SpotPriceHistoryReader {
  private static final String[] FIELDS = {
    "az_id", "instance_type", "product_description", "spot_price_usd", "timestamp"
  };

  public List<SpotPricePoint> read(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file)) {
      return parse(file.toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read price history " + file + ": " + e.getMessage(), e);
    }
  }

  public List<SpotPricePoint> parse(String source, BufferedReader in) throws IOException {
    List<SpotPricePoint> out = new ArrayList<>();
    String row;
    int line = 0;
    while ((row = in.readLine()) != null) {
      line++;
      if (row.isBlank()) {
        continue;
      }
      String[] f = row.split("\t", -1);
      if (f.length != FIELDS.length) {
        throw new DataFormatException(
            source,
            line,
            f.length < FIELDS.length ? FIELDS[f.length] : "(extra column)",
            "expected " + FIELDS.length + " tab-separated columns, got " + f.length);
      }
      for (int i = 0; i < 3; i++) {
        if (f[i].isBlank()) {
          throw new DataFormatException(source, line, FIELDS[i], "must not be empty");
        }
      }
      double price;
      try {
        price = Double.parseDouble(f[3]);
      } catch (NumberFormatException e) {
        throw new DataFormatException(source, line, FIELDS[3], "not a number: '" + f[3] + "'");
      }
      if (!(price >= 0) || Double.isInfinite(price)) {
        throw new DataFormatException(
            source, line, FIELDS[3], "must be a non-negative price, got " + f[3]);
      }
      OffsetDateTime at;
      try {
        at = OffsetDateTime.parse(f[4]);
      } catch (DateTimeParseException e) {
        throw new DataFormatException(
            source, line, FIELDS[4], "not an ISO-8601 timestamp with offset: '" + f[4] + "'");
      }
      out.add(new SpotPricePoint(f[0], f[1], f[2], price, at.toInstant()));
    }
    return out;
  }
}
