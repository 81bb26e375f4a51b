package io.anymq.it.redis;

/** The conformance suite on a Redis Cluster of 3 masters, list mode (report redis-cluster-list). */
class RedisClusterListTckIT extends RedisClusterTck {
    @Override
    String mode() {
        return "list";
    }
}
