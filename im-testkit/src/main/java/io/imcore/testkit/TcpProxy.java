package io.imcore.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy for tests of connections that die without a close: it listens on a free port of 127.0.0.1 and
 * forwards every connection to a target. {@link #freeze()} stops forwarding in both directions (bytes wait, as
 * in a tunnel: neither side learns anything), {@link #thaw()} resumes it, and {@link #reset()} aborts every
 * connection with a TCP RST on both sides. New connections are accepted and forwarded whatever the state.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to("127.0.0.1", nodePort)) {
 *     TestTerminal t = TestTerminal.connectReady(proxy.rewrite(url));
 *     proxy.freeze();   // frames the node writes now do not arrive
 *     proxy.reset();    // both ends see a reset, no close frame
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code host:port}, listening at once. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen", e);
        }
    }

    /** The port the proxy listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code url} (such as a connect URL {@code ws://127.0.0.1:<target port>/ws?…}) with the proxy's port. */
    public String rewrite(String url) {
        return url.replace(":" + target.getPort() + "/", ":" + port() + "/");
    }

    /** Stops forwarding on every connection, present and future, until {@link #thaw()}. */
    public void freeze() {
        frozen = true;
    }

    /** Forwards again. */
    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Aborts every connection with a RST on both sides; bytes held by a freeze are lost. Forwards again after. */
    public void reset() {
        for (Pair pair : pairs) {
            pair.reset();
        }
        pairs.clear();
        thaw();
    }

    /** Connections open through the proxy now. */
    public int connections() {
        return pairs.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reset();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Pair pair = new Pair(client, upstream);
                pairs.add(pair);
                pair.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void awaitThawed() throws InterruptedException {
        synchronized (gate) {
            while (frozen) {
                gate.wait();
            }
        }
    }

    /** One proxied connection: two pumps. */
    private final class Pair {
        private final Socket client;
        private final Socket upstream;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(
                    () -> {
                        byte[] buffer = new byte[16 * 1024];
                        try (InputStream in = from.getInputStream()) {
                            OutputStream out = to.getOutputStream();
                            int n;
                            while (true) {
                                awaitThawed(); // frozen: nothing is read, so nothing is acknowledged by the application
                                n = in.read(buffer);
                                if (n < 0) {
                                    break;
                                }
                                awaitThawed();
                                out.write(buffer, 0, n);
                                out.flush();
                            }
                            to.shutdownOutput();
                        } catch (IOException | InterruptedException e) {
                            reset();
                        }
                    },
                    "tcp-proxy-" + direction + "-" + from.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        void reset() {
            abort(client);
            abort(upstream);
            pairs.remove(this);
        }

        private void abort(Socket socket) {
            try {
                socket.setSoLinger(true, 0); // close sends a RST
                socket.close();
            } catch (SocketException ignored) {
                // already closed
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
