// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package org.kohsuke.stapler.interceptor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

// The real annotation also carries @InterceptorAnnotation(RequirePOST.Processor.class).
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface RequirePOST {}
