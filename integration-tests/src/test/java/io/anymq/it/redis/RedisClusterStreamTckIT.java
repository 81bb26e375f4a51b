package io.anymq.it.redis;

/** The conformance suite on a Redis Cluster of 3 masters, stream mode (report redis-cluster-stream). */
class RedisClusterStreamTckIT extends RedisClusterTck {
    @Override
    String mode() {
        return "stream";
    }
}
