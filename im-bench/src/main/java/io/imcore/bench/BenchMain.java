package io.imcore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar im-bench.jar <scenario> [options]}: see {@link BenchOptions#HELP}. The JSON line goes to
 * stdout, progress and the human summary to stderr.
 */
public final class BenchMain {
    static final int EXIT_OK = 0;
    static final int EXIT_LOSS = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_TIMEOUT = 3;

    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a benchmark; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(BenchOptions.HELP);
                return EXIT_OK;
            }
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            if (!options.allowRemote()) {
                Targets.requireLoopback(options.servers(), options.redisHosts());
            }
            for (long pid : options.nodePids()) {
                if (!ProcStat.readable(pid)) {
                    throw new IllegalArgumentException(
                            "cannot read /proc/" + pid + "/stat: is --node-pid a " + "process on this machine?");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("im-bench: " + e.getMessage());
            err.println("Try: java -jar im-bench.jar --help");
            return EXIT_USAGE;
        }
        Thread watchdog = watchdog(options, err);
        Map<String, Object> results;
        boolean timedOut;
        try (Bench bench = new Bench(options, err)) {
            results = bench.run();
            timedOut = bench.timedOut();
            try {
                out.println(new ObjectMapper().writeValueAsString(results));
            } catch (java.io.IOException e) {
                err.println("im-bench: cannot write the results: " + e);
            }
            out.flush();
            err.print(Summary.of(results));
            err.flush();
            bench.hold();
        } catch (Exception e) {
            err.println("im-bench: the run failed: " + e);
            e.printStackTrace(err);
            return EXIT_LOSS;
        } finally {
            watchdog.interrupt();
        }
        if (timedOut || Boolean.TRUE.equals(results.get("timedOut"))) {
            return EXIT_TIMEOUT;
        }
        return Boolean.TRUE.equals(results.get("zeroLoss")) ? EXIT_OK : EXIT_LOSS;
    }

    /**
     * A last resort: if the run has not ended 60 s after {@code --max-duration} (a wait that did not honour the
     * deadline), the process stops itself.
     */
    private static Thread watchdog(BenchOptions options, PrintStream err) {
        Thread thread = new Thread(
                () -> {
                    try {
                        TimeUnit.MILLISECONDS.sleep(options.maxDuration().toMillis() + 60_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    err.println("im-bench: still running 60 s after --max-duration; stopping");
                    Runtime.getRuntime().halt(EXIT_TIMEOUT);
                },
                "bench-watchdog");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
