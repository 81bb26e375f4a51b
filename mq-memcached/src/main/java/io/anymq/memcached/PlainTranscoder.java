package io.anymq.memcached;

import net.rubyeye.xmemcached.transcoders.CompressionMode;
import net.rubyeye.xmemcached.transcoders.Transcoder;

/**
 * A transcoder that writes values as they are, with flags 0: no Java serialization, no compression,
 * none of xmemcached's settings apply. Subclasses say how a value becomes bytes and back.
 */
abstract class PlainTranscoder<T> implements Transcoder<T> {

    @Override
    public final void setPrimitiveAsString(boolean primitiveAsString) {
    }

    @Override
    public final void setPackZeros(boolean packZeros) {
    }

    @Override
    public final void setCompressionThreshold(int threshold) {
    }

    @Override
    public final boolean isPrimitiveAsString() {
        return true;
    }

    @Override
    public final boolean isPackZeros() {
        return false;
    }

    @Override
    public final void setCompressionMode(CompressionMode mode) {
    }
}
