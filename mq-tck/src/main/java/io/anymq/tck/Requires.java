package io.anymq.tck;

import io.anymq.Capability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a scenario needs. A backend that does not declare one of them does not run the
 * scenario; the suite instead checks that asking for the capability is refused
 * ({@code RefusalScenarios}), and the capability report says so. A fault scenario also names the
 * faults it causes (run only with a {@link BrokerFaults} hook that supports them), a stress scenario
 * says so (run only with {@link TckSettings#stress()}), and so does one that kills a client process of its own.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
    Capability[] value() default {};

    /** The faults the scenario causes through the {@link BrokerFaults} hook; none for an ordinary scenario. */
    BrokerFaults.Fault[] faults() default {};

    /** A stress scenario: run only in stress mode. */
    boolean stress() default false;

    /**
     * A scenario that runs a client in a child JVM and kills it: run only when the suite knows how a child connects
     * ({@link MessagingTck#childClientConfig()}) and {@link TckSettings#childProcesses()} allows it.
     */
    boolean childProcess() default false;
}
