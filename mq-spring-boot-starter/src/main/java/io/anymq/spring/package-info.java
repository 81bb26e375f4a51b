/**
 * Spring Boot auto-configuration for anymq: {@link io.anymq.spring.AnymqAutoConfiguration} makes a
 * {@link io.anymq.MessagingClient} from {@code anymq.url} and the {@code anymq.*} properties
 * ({@link io.anymq.spring.AnymqProperties}); {@link io.anymq.spring.ManagedSubscription} ties a push
 * subscription to the context's lifecycle.
 */
package io.anymq.spring;
