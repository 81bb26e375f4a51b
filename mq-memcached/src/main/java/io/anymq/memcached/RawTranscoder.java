package io.anymq.memcached;

import net.rubyeye.xmemcached.transcoders.CachedData;

/**
 * Values as they are: the bytes go to the server unchanged with flags 0 (no Java serialization, no
 * compression), so that any client in any language reads and writes the same items.
 */
final class RawTranscoder extends PlainTranscoder<byte[]> {
    static final RawTranscoder INSTANCE = new RawTranscoder();

    @Override
    public CachedData encode(byte[] bytes) {
        return new CachedData(0, bytes);
    }

    @Override
    public byte[] decode(CachedData data) {
        return data.getData();
    }
}
