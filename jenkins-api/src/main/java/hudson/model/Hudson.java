// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import jenkins.model.Jenkins;

public class Hudson extends Jenkins {
  // The real constructors take (File, ServletContext[, PluginManager]); nothing outside Jenkins
  // calls them.
  private Hudson() {}

  public static class CloudList extends Jenkins.CloudList {
    // The real class also has CloudList(Jenkins), which hands Jenkins to the list as its owner.
    public CloudList() {}
  }
}
