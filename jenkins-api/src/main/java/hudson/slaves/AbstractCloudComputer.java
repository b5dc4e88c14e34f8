// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.IOException;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.interceptor.RequirePOST;

public class AbstractCloudComputer<T extends AbstractCloudSlave> extends SlaveComputer {
  public AbstractCloudComputer(T slave) {
    super(slave);
  }

  @CheckForNull
  @Override
  @SuppressWarnings("unchecked")
  public T getNode() {
    return (T) super.getNode();
  }

  @RequirePOST
  public HttpResponse doDoDelete() throws IOException {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
