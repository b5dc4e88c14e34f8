package io.spotnest.strategy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesNestedValues() {
    Object v =
        Json.parse(
            "t", "{\"a\": [1, 2.5, -3], \"b\": {\"c\": \"x\\\"y\", \"d\": true, \"e\": null}}");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1L, 2.5, -3L), m.get("a"));
    Map<?, ?> b = (Map<?, ?>) m.get("b");
    assertEquals("x\"y", b.get("c"));
    assertEquals(Boolean.TRUE, b.get("d"));
    assertTrue(b.containsKey("e"));
  }

  @Test
  void errorNamesLineAndField() {
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> Json.parse("f.json", "{\n\"metadata\": {\"gap_seconds\": 3x}\n}"));
    assertEquals(2, e.line());
    assertTrue(e.field().startsWith("$.metadata"), e.field());
    assertTrue(e.getMessage().startsWith("f.json:2:"), e.getMessage());
  }

  @Test
  void rejectsTrailingContentAndTruncation() {
    assertThrows(DataFormatException.class, () -> Json.parse("t", "[1, 2] 3"));
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Json.parse("t", "{\"data\": [1, 2"));
    assertTrue(e.getMessage().contains("data"), e.getMessage());
  }
}
