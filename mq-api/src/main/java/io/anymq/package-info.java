/**
 * anymq: one messaging API for every mainstream broker, the broker chosen by URL.
 *
 * <p>Start at {@link io.anymq.Messaging#connect(String)}: it finds the backend for the URL's scheme
 * on the class path and returns a {@link io.anymq.MessagingClient}, which makes
 * {@link io.anymq.Producer}s and {@link io.anymq.Consumer}s. What a backend can do is declared in
 * {@link io.anymq.Capabilities}; anything it cannot do is refused with
 * {@link io.anymq.UnsupportedCapabilityException} when it is asked for, never silently ignored.
 * Every error is a {@link io.anymq.MessagingException} that says whether a retry can help.
 */
package io.anymq;
