// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package org.kohsuke.stapler;

import edu.umd.cs.findbugs.annotations.NonNull;
import jakarta.servlet.ServletException;
import java.io.IOException;

public final class HttpRedirect extends RuntimeException implements HttpResponse {
  public HttpRedirect(@NonNull String url) {
    this(302, url);
  }

  public HttpRedirect(int statusCode, @NonNull String url) {
    if (url == null) {
      throw new NullPointerException();
    }
  }

  @Override
  public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node)
      throws IOException, ServletException {
    throw new UnsupportedOperationException("compile-only Stapler API");
  }

  public static final HttpRedirect DOT = new HttpRedirect(".");
}
