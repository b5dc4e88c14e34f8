package io.spotnest.orchestrator.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The default journal: one JSON object per line in an append-only file. {@link #append} writes the
 * line and forces it to disk ({@link FileChannel#force}) before returning. On open, a torn last
 * line (a crash mid-write) is cut off; an unreadable line anywhere else is refused with {@link
 * JournalCorruptException}.
 */
public final class FileJournal implements Journal {
  private final Path file;
  private final FileChannel channel;
  private final ObjectMapper json;

  private FileJournal(Path file, FileChannel channel, ObjectMapper json) {
    this.file = file;
    this.channel = channel;
    this.json = json;
  }

  /** Opens (creating if needed) the journal at {@code file}. */
  public static FileJournal open(Path file) {
    try {
      boolean created = !Files.exists(file);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (created) {
        syncDirectory(file.toAbsolutePath().getParent());
      }
      cutTornTail(ch);
      return new FileJournal(file, ch, mapper());
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

  @Override
  public synchronized void append(JournalRecord record) {
    try {
      byte[] line = (json.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buf = ByteBuffer.wrap(line);
      long pos = channel.size();
      while (buf.hasRemaining()) {
        pos += channel.write(buf, pos);
      }
      channel.force(
          false); // fdatasync: also flushes the new file size, which reading the line back needs
    } catch (IOException e) {
      throw new JournalIoException("cannot append to journal " + file, e);
    }
  }

  @Override
  public synchronized List<JournalRecord> replay() {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      List<JournalRecord> out = new ArrayList<>();
      String[] lines = text.split("\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isEmpty()) {
          continue;
        }
        try {
          out.add(json.readValue(lines[i], JournalRecord.class));
        } catch (JsonProcessingException e) {
          throw new JournalCorruptException(
              "journal " + file + " line " + (i + 1) + " is unreadable: " + e.getOriginalMessage(),
              e);
        }
      }
      return out;
    } catch (IOException e) {
      throw new JournalIoException("cannot read journal " + file, e);
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
  private static void cutTornTail(FileChannel ch) throws IOException {
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
