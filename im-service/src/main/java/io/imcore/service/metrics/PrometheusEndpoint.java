package io.imcore.service.metrics;

import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Serves every Dropwizard metric of the node in the Prometheus text format at {@value #PATH} on the admin port:
 * its own {@code im.*} ones as labelled families with help texts ({@link PrometheusFamilies}), the others
 * ({@code jvm.*}, Jetty's, logging) through the Prometheus Java client's Dropwizard bridge. Names are the
 * Dropwizard names with dots as underscores; meters and counters get {@code _total}; timers become summaries in
 * seconds. The registry is this application's own, not the JVM-wide default, so several nodes in one JVM (tests)
 * do not collide.
 */
public final class PrometheusEndpoint {
    /** Path on the admin connector. */
    public static final String PATH = "/prometheus";

    private PrometheusEndpoint() {}

    public static void install(Environment environment) {
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder()
                .dropwizardRegistry(environment.metrics())
                .metricFilter((name, metric) -> !name.startsWith(PrometheusFamilies.PREFIX))
                .register(registry);
        registry.register(new PrometheusFamilies(environment.metrics()));
        environment
                .admin()
                .addServlet("prometheus", new PrometheusMetricsServlet(registry))
                .addMapping(PATH);
    }
}
