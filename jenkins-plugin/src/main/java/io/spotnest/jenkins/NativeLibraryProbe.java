package io.spotnest.jenkins;

import com.sun.jna.NativeLibrary;
import java.util.Optional;

/**
 * Whether a native library can be loaded in this JVM (a seam, so the monitor is tested without the
 * library).
 */
@FunctionalInterface
public interface NativeLibraryProbe {

  /** Empty when the library loads; otherwise why it does not. */
  Optional<String> missing(String library);

  /**
   * Loads it the way libvirt-java does: through the JNA that Jenkins core ships, by its short name.
   */
  static NativeLibraryProbe jna() {
    return library -> {
      try {
        NativeLibrary.getInstance(library);
        return Optional.empty();
      } catch (UnsatisfiedLinkError e) {
        return Optional.of(String.valueOf(e.getMessage()));
      }
    };
  }
}
