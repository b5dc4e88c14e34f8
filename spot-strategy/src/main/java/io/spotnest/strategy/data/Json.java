package io.spotnest.strategy.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for the shared data formats. Values become {@link Map}, {@link List},
 * {@link String}, {@link Double} or {@link Long}, {@link Boolean} or {@code null}. Errors name the
 * source, the line and the field path being read.
 */
public final class Json {
  private final String source;
  private final String text;
  private int pos;
  private int line = 1;

  private Json(String source, String text) {
    this.source = source;
    this.text = text;
  }

  /** Parses a whole document. */
  public static Object parse(String source, String text) {
    Json json = new Json(source, text);
    json.skipWs();
    Object value = json.value("$");
    json.skipWs();
    if (json.pos != text.length()) {
      throw json.error("$", "unexpected trailing content");
    }
    return value;
  }

  private DataFormatException error(String field, String problem) {
    return new DataFormatException(source, line, field, problem);
  }

  private Object value(String path) {
    if (pos >= text.length()) {
      throw error(path, "unexpected end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(path);
      case '[':
        return array(path);
      case '"':
        return string(path);
      case 't':
        return literal(path, "true", Boolean.TRUE);
      case 'f':
        return literal(path, "false", Boolean.FALSE);
      case 'n':
        return literal(path, "null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number(path);
        }
        throw error(path, "unexpected character '" + c + "'");
    }
  }

  private Object literal(String path, String word, Object result) {
    if (!text.startsWith(word, pos)) {
      throw error(path, "expected " + word);
    }
    pos += word.length();
    return result;
  }

  private Map<String, Object> object(String path) {
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    skipWs();
    if (peek(path) == '}') {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWs();
      if (peek(path) != '"') {
        throw error(path, "expected a quoted key");
      }
      String key = string(path);
      skipWs();
      expect(':', path + "." + key);
      skipWs();
      map.put(key, value(path + "." + key));
      skipWs();
      char c = peek(path + "." + key);
      pos++;
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        throw error(path + "." + key, "expected ',' or '}'");
      }
    }
  }

  private List<Object> array(String path) {
    pos++;
    List<Object> list = new ArrayList<>();
    skipWs();
    if (peek(path) == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWs();
      list.add(value(path + "[" + list.size() + "]"));
      skipWs();
      char c = peek(path + "[" + (list.size() - 1) + "]");
      pos++;
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        throw error(path + "[" + (list.size() - 1) + "]", "expected ',' or ']'");
      }
    }
  }

  private String string(String path) {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\n') {
        throw error(path, "unterminated string");
      }
      if (c == '\\') {
        if (pos >= text.length()) {
          break;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case 'n':
            sb.append('\n');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'u':
            if (pos + 4 > text.length()) {
              throw error(path, "bad \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error(path, "bad \\u escape");
            }
            pos += 4;
            break;
          default:
            sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    throw error(path, "unterminated string");
  }

  private Object number(String path) {
    int start = pos;
    boolean floating = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '.' || c == 'e' || c == 'E') {
        floating = true;
      } else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
        break;
      }
      pos++;
    }
    String token = text.substring(start, pos);
    try {
      return floating ? (Object) Double.parseDouble(token) : (Object) Long.parseLong(token);
    } catch (NumberFormatException ex) {
      throw error(path, "not a number: '" + token + "'");
    }
  }

  private char peek(String path) {
    if (pos >= text.length()) {
      throw error(path, "unexpected end of input");
    }
    return text.charAt(pos);
  }

  private void expect(char c, String path) {
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw error(path, "expected '" + c + "'");
    }
    pos++;
  }

  private void skipWs() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      pos++;
    }
  }
}
