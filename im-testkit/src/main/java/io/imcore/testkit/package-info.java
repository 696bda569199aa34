/**
 * Test support for ImCore: {@link io.imcore.testkit.RedisExtension} gives JUnit 5 tests a real
 * Redis server of their own, {@link io.imcore.testkit.RedisClusterExtension} a Redis Cluster and
 * {@link io.imcore.testkit.RedisSentinelExtension} a Sentinel set (master, replica, three sentinels);
 * {@link io.imcore.testkit.TestTerminal} (and {@link io.imcore.testkit.RawWebSocket} for byte-level work) is the one
 * test terminal of every module; {@link io.imcore.testkit.StreamRecorder} records raw stream traffic (every XADD).
 */
package io.imcore.testkit;
