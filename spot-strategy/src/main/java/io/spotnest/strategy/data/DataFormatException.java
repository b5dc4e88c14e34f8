package io.spotnest.strategy.data;

/** A data file does not match its format; the message names the source, line and field. */
public final class DataFormatException extends RuntimeException {
  private final String source;
  private final int line;
  private final String field;

  public DataFormatException(String source, int line, String field, String problem) {
    super(source + ":" + line + ": field '" + field + "': " + problem);
    this.source = source;
    this.line = line;
    this.field = field;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  public String field() {
    return field;
  }
}
