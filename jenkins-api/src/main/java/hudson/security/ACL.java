// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.security;

public abstract class ACL {}
