package io.anymq.it.redis;

/** The conformance suite on a Redis Cluster of 3 masters, zset mode (report redis-cluster-zset). */
class RedisClusterZsetTckIT extends RedisClusterTck {
    @Override
    String mode() {
        return "zset";
    }
}
