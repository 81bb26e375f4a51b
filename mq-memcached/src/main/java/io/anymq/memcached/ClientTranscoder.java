package io.anymq.memcached;

import net.rubyeye.xmemcached.transcoders.CachedData;

import java.nio.charset.StandardCharsets;

/**
 * The client's default transcoder, for the values xmemcached writes by itself (the initial value of a
 * counter that {@code incr} creates, a decimal string): bytes as they are, anything else as its ASCII
 * text, flags 0. Reads give the bytes.
 */
final class ClientTranscoder extends PlainTranscoder<Object> {
    static final ClientTranscoder INSTANCE = new ClientTranscoder();

    @Override
    public CachedData encode(Object o) {
        return o instanceof byte[] bytes ? new CachedData(0, bytes) : new CachedData(0, String.valueOf(o).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Object decode(CachedData data) {
        return data.getData();
    }
}
