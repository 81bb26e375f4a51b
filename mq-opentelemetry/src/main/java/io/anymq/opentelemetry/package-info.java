/**
 * OpenTelemetry tracing for anymq clients: install {@link io.anymq.opentelemetry.OpenTelemetryInterceptor}
 * with {@link io.anymq.MessagingConfig.Builder#interceptor(io.anymq.MessagingInterceptor)}.
 */
package io.anymq.opentelemetry;
