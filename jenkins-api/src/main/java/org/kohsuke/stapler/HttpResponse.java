// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package org.kohsuke.stapler;

import jakarta.servlet.ServletException;
import java.io.IOException;

public interface HttpResponse {
  default void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node)
      throws IOException, ServletException {
    throw new UnsupportedOperationException("compile-only Stapler API");
  }
}
