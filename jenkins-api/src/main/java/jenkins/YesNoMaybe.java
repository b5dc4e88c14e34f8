// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package jenkins;

public enum YesNoMaybe {
  YES,
  NO,
  MAYBE
}
