package io.spotnest.jenkins;

import java.util.Arrays;
import java.util.List;

/** The names of a drop-down's choices as a form check lists them: "A, B or C". */
final class ChoiceNames {
  private ChoiceNames() {}

  /** Every constant's name, in declaration order, joined by {@code separator}. */
  static String of(Class<? extends Enum<?>> type, String separator) {
    return String.join(separator, all(type));
  }

  /** Every constant's name joined by {@code separator}, the last two by {@code last}. */
  static String of(Class<? extends Enum<?>> type, String separator, String last) {
    List<String> names = all(type);
    return String.join(separator, names.subList(0, names.size() - 1))
        + last
        + names.get(names.size() - 1);
  }

  private static List<String> all(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
  }
}
