package io.spotnest.orchestrator.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The default journal: one JSON object per line in an append-only file. {@link #append} writes the
 * line and forces it to disk ({@link FileChannel#force}) before returning; a write that fails
 * part-way is cut back, so the file only ever ends in a partial line after a crash. On open such a
 * torn last line is cut off, and {@link #replay} drops one (both with a warning); an unreadable
 * line anywhere else is refused with {@link JournalCorruptException}.
 */
public final class FileJournal implements Journal {
  private static final System.Logger LOG = System.getLogger(FileJournal.class.getName());

  private final Path file;
  private final JournalChannel channel;
  private final ObjectMapper json;

  /** Why appends are refused: set once a failed append could not be cut back. */
  private String refusal;

  private IOException refusalCause;

  private FileJournal(Path file, JournalChannel channel, ObjectMapper json) {
    this.file = file;
    this.channel = channel;
    this.json = json;
  }

  /** Opens (creating if needed) the journal at {@code file}. */
  public static FileJournal open(Path file) {
    return open(file, UnaryOperator.identity());
  }

  /**
   * {@link #open(Path)}, appending through {@code writes} wrapped around the file (a test's seam to
   * fail a write).
   */
  static FileJournal open(Path file, UnaryOperator<JournalChannel> writes) {
    try {
      boolean created = !Files.exists(file);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (created) {
        syncDirectory(file.toAbsolutePath().getParent());
      }
      cutTornTail(file, ch);
      return new FileJournal(file, writes.apply(new JournalChannel.OfFile(ch)), mapper());
    } catch (IOException e) {
      throw new JournalIoException("cannot open journal " + file, e);
    }
  }

  static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /**
   * Appends the record's line, all or nothing: a write that fails part-way (a full disk) is cut
   * back to where the file ended before, so no partial line is left for the next append to follow.
   * If even that fails, this journal refuses every later append (a restart cuts the torn line off).
   *
   * @throws JournalIoException when the record is not durable, or the journal refuses appends
   */
  @Override
  public synchronized void append(JournalRecord record) {
    if (refusal != null) {
      throw new JournalIoException(refusal, refusalCause);
    }
    byte[] line;
    try {
      line = (json.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new JournalIoException("cannot write " + record + " as JSON", e);
    }
    long before;
    try {
      before = channel.size();
    } catch (IOException e) {
      throw new JournalIoException("cannot append to journal " + file, e);
    }
    try {
      ByteBuffer buf = ByteBuffer.wrap(line);
      long pos = before;
      while (buf.hasRemaining()) {
        pos += channel.write(buf, pos);
      }
      channel.force(
          false); // fdatasync: also flushes the new file size, which reading the line back needs
    } catch (IOException e) {
      cutBack(before, e);
      throw new JournalIoException(
          "cannot append to journal " + file + "; cut back to its " + before + " bytes", e);
    }
  }

  /**
   * Cuts the file back to {@code length} after the failed append {@code failure}; if that fails,
   * refuses every later append.
   */
  private void cutBack(long length, IOException failure) {
    try {
      channel.truncate(length);
      channel.force(true);
    } catch (IOException e) {
      failure.addSuppressed(e);
      refusal =
          "journal "
              + file
              + " refuses appends: a failed append could not be cut back to its "
              + length
              + " bytes ("
              + e.getMessage()
              + "), and a record written after its partial line would be unreadable;"
              + " restart the controller, which cuts the torn line off";
      refusalCause = failure;
      throw new JournalIoException(refusal, failure);
    }
  }

  /**
   * Every complete line's record. A last line without its newline is a write cut short (a crash, a
   * failed append): it is dropped with a warning. An unreadable complete line is refused.
   *
   * @throws JournalCorruptException when a complete line cannot be read
   */
  @Override
  public synchronized List<JournalRecord> replay() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new JournalIoException("cannot read journal " + file, e);
    }
    List<JournalRecord> out = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lineNo++;
        if (i > start) {
          out.add(read(bytes, start, i, lineNo));
        }
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      LOG.log(
          Level.WARNING,
          "journal "
              + file
              + ": dropped a torn last line "
              + (lineNo + 1)
              + " ("
              + (bytes.length - start)
              + " bytes without a newline: a write cut short)");
    }
    return out;
  }

  private JournalRecord read(byte[] bytes, int from, int to, int lineNo) {
    try {
      String line =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(bytes, from, to - from))
              .toString();
      return json.readValue(line, JournalRecord.class);
    } catch (JsonProcessingException e) {
      throw new JournalCorruptException(
          "journal " + file + " line " + lineNo + " is unreadable: " + e.getOriginalMessage(), e);
    } catch (CharacterCodingException e) {
      throw new JournalCorruptException(
          "journal " + file + " line " + lineNo + " is not UTF-8: " + e, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new JournalIoException("cannot close journal " + file, e);
    }
  }

  /**
   * A line is complete once its newline is on disk (the newline is its last byte); anything after
   * is torn.
   */
  private static void cutTornTail(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    long end = size;
    ByteBuffer one = ByteBuffer.allocate(1);
    while (end > 0) {
      one.clear();
      ch.read(one, end - 1);
      if (one.get(0) == '\n') {
        break;
      }
      end--;
    }
    if (end < size) {
      LOG.log(
          Level.WARNING,
          "journal "
              + file
              + ": cut off a torn last line ("
              + (size - end)
              + " bytes without a newline: a write cut short)");
      ch.truncate(end);
      ch.force(true);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
