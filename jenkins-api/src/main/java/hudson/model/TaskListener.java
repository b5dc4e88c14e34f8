// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.PrintStream;

// The real interface extends hudson.remoting.SerializableOnlyOverRemoting and has default helper
// methods.
public interface TaskListener {
  @NonNull
  PrintStream getLogger();
}
