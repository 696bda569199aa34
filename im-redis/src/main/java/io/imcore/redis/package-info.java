/**
 * The Redis side of the contract (PROTOCOL.md sections 4 and 5), written once for {@code im-client} and
 * {@code im-service}: the Redis URI ({@link io.imcore.redis.RedisAddress}), the Jedis clients
 * ({@link io.imcore.redis.RedisConnections}), the Lua scripts ({@link io.imcore.redis.Scripts}), the reading of
 * leases and online state ({@link io.imcore.redis.ClusterReader}) the stream transport
 * ({@link io.imcore.redis.Streams}) and its reconnecting reader ({@link io.imcore.redis.StreamReader}). Key names
 * come from {@link io.imcore.protocol.Keys} only.
 */
package io.imcore.redis;
