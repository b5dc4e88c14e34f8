// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

// The real class also implements ExtensionPoint, StaplerOverridable, ModelObjectWithChildren,
// HasWidgets.
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
    extends AbstractItem {}
