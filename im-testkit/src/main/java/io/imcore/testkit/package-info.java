/**
 * Test support for ImCore: {@link io.imcore.testkit.RedisExtension} gives JUnit 5 tests a real
 * Redis server of their own.
 */
package io.imcore.testkit;
