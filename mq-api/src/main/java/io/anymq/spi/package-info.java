/**
 * What a backend implements: a {@link io.anymq.spi.MessagingProvider} found by
 * {@link java.util.ServiceLoader}, whose {@link io.anymq.spi.ClientDriver} makes producer and
 * consumer drivers. Applications never use this package; the portable core in {@code io.anymq}
 * wraps every driver and owns what must behave the same everywhere (checks, windows, settlement,
 * push dispatch, dead-lettering). The helpers here ({@link io.anymq.spi.Coalescer},
 * {@link io.anymq.spi.ReadAhead}, {@link io.anymq.spi.EnvelopeCodec}, {@link io.anymq.spi.ConfigOption}, ...)
 * are shared by the backends so that none writes them twice.
 */
package io.anymq.spi;
