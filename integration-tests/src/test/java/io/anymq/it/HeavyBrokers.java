package io.anymq.it;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that starts a heavy broker (Kafka, Pulsar, RocketMQ, RabbitMQ: JVMs or an Erlang VM
 * that want a core of their own to start and to keep their timings): it runs in the suite's main lane,
 * one class after another, never beside another such class.
 *
 * <p>The integration tests run in two lanes (the failsafe configuration in this module's pom: JUnit's
 * parallel execution, classes concurrent by default, methods always one after another, two threads):
 * the classes marked so run one at a time in the thread that runs the suite, and the other classes
 * (Redis, NATS, Memcached, the JMS brokers) one at a time in a second thread beside them. So a heavy
 * broker never starts beside another heavy one, and the light brokers' tests take no extra time.
 * A class that starts one of the heavy kinds must carry this annotation; a class without it may run
 * beside any heavy class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Execution(ExecutionMode.SAME_THREAD)
public @interface HeavyBrokers {
}
