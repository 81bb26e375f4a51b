/**
 * Micrometer meters for anymq clients: install {@link io.anymq.micrometer.MicrometerInterceptor}
 * with {@link io.anymq.MessagingConfig.Builder#interceptor(io.anymq.MessagingInterceptor)}.
 */
package io.anymq.micrometer;
