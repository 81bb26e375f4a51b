/**
 * CloudEvents on anymq: {@link io.anymq.cloudevents.CloudEventMessages} maps a
 * {@link io.cloudevents.CloudEvent} to an {@link io.anymq.Message} and back, in binary
 * ({@code ce_*} headers) and structured ({@code application/cloudevents+json}) content mode.
 */
package io.anymq.cloudevents;
