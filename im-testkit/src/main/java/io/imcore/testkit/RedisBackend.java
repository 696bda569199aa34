package io.imcore.testkit;

/** One way of running a Redis server for tests: a local binary or a container. */
interface RedisBackend extends AutoCloseable {

    /** The host that clients connect to. */
    String host();

    /** The port that clients connect to; stays the same across {@link #stop()} and {@link #start()}. */
    int port();

    /** Starts the server (empty data) and returns once it answers; does nothing if it runs. */
    void start();

    /** Stops the server; does nothing if it is stopped. */
    void stop();

    /** Kills the server at once (SIGKILL), as a crash; by default the same as {@link #stop()}. */
    default void crash() {
        stop();
    }

    boolean isRunning();

    /** Stops the server and releases everything it used (files, container). */
    @Override
    void close();
}
