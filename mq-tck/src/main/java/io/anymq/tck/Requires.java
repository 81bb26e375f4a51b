package io.anymq.tck;

import io.anymq.Capability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a scenario needs. A backend that does not declare one of them does not run the
 * scenario; the suite instead checks that asking for the capability is refused
 * ({@code RefusalScenarios}), and the capability report says so.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
    Capability[] value();
}
