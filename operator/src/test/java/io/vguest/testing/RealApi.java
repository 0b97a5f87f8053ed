package io.vguest.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the JVM's real API server ({@link RealApiServer#shared()}): test
 * methods, constructors and lifecycle methods may take a {@link RealApiServer} or a
 * {@link io.fabric8.kubernetes.client.KubernetesClient} (cluster-admin, shared: do not close it).
 * The class fails, never skips, when the server does not start.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealApiServerExtension.class)
public @interface RealApi {}
