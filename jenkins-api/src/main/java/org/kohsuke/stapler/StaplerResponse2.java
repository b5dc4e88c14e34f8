// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletResponse;

public interface StaplerResponse2 extends HttpServletResponse {}
