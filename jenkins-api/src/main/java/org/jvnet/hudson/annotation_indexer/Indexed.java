// Compile-only signature copy of org.jenkins-ci:annotation-indexer (see jenkins-api/README.md). Not
// packaged.
package org.jvnet.hudson.annotation_indexer;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

// The real annotation has a member validators() of type Class<? extends Validator>[]; nothing here
// sets it.
@Documented
@Retention(RUNTIME)
@Target(ANNOTATION_TYPE)
public @interface Indexed {}
