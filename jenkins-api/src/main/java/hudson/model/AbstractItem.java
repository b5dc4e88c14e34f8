// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

// The real class also implements Loadable, Item, HttpDeletable, AccessControlled,
// DescriptorByNameOwner, StaplerProxy.
public abstract class AbstractItem extends Actionable {}
