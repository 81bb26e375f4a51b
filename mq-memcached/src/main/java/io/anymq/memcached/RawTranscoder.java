package io.anymq.memcached;

import net.rubyeye.xmemcached.transcoders.CachedData;
import net.rubyeye.xmemcached.transcoders.CompressionMode;
import net.rubyeye.xmemcached.transcoders.Transcoder;

/**
 * Values as they are: the bytes go to the server unchanged with flags 0 (no Java serialization, no
 * compression), so that any client in any language reads and writes the same items.
 */
final class RawTranscoder implements Transcoder<byte[]> {
    static final RawTranscoder INSTANCE = new RawTranscoder();

    @Override
    public CachedData encode(byte[] bytes) {
        return new CachedData(0, bytes);
    }

    @Override
    public byte[] decode(CachedData data) {
        return data.getData();
    }

    @Override
    public void setPrimitiveAsString(boolean primitiveAsString) {
    }

    @Override
    public void setPackZeros(boolean packZeros) {
    }

    @Override
    public void setCompressionThreshold(int threshold) {
    }

    @Override
    public boolean isPrimitiveAsString() {
        return true;
    }

    @Override
    public boolean isPackZeros() {
        return false;
    }

    @Override
    public void setCompressionMode(CompressionMode mode) {
    }
}
