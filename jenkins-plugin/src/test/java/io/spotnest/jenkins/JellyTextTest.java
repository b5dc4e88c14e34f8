package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The views' localised texts: in {@code ${%text(args)}} Jelly reads what stands in parentheses as
 * expressions, so a text with "(spot static hosts)" in it stopped a real Jenkins from rendering the
 * cloud form. No {@code ${%…}} text of ours has a parenthesis.
 */
class JellyTextTest {
  private static final Path VIEWS = Path.of("src/main/resources");
  private static final Pattern LOCALISED = Pattern.compile("\\$\\{%([^}]*)\\}");

  @Test
  void noLocalisedTextHasAParenthesis() throws IOException {
    List<Path> views;
    try (Stream<Path> files = Files.walk(VIEWS)) {
      views = files.filter(f -> f.toString().endsWith(".jelly")).toList();
    }
    assertFalse(views.isEmpty(), "no Jelly view under " + VIEWS.toAbsolutePath());
    List<String> offending =
        views.stream()
            .flatMap(
                f -> {
                  Matcher m = LOCALISED.matcher(read(f));
                  return m.results()
                      .map(r -> r.group(1))
                      .filter(t -> t.contains("("))
                      .map(t -> VIEWS.relativize(f) + ": ${%" + t + "}");
                })
            .toList();
    assertEquals(List.of(), offending);
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
