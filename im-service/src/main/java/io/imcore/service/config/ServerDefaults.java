package io.imcore.service.config;

import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safer defaults for Dropwizard's {@code server:} section, applied where the configuration says nothing.
 *
 * <ul>
 *   <li>An admin connector without {@code bindHost} listens on {@value #ADMIN_BIND_HOST} (Dropwizard's own
 *       default is every interface): admin tasks can kick clients. One configured on another address gets a
 *       warning at start.</li>
 *   <li>A request log appender without {@code logFormat} uses {@link #REQUEST_LOG_FORMAT}, which logs the path
 *       without the query string (Dropwizard's default, {@code %r}, logs the request line, and with it every
 *       terminal's one-time token). A configured format that logs query strings gets a warning.</li>
 * </ul>
 */
public final class ServerDefaults {
    /** Where an admin connector without {@code bindHost} listens. */
    public static final String ADMIN_BIND_HOST = "127.0.0.1";
    /** Dropwizard's default request log format with {@code %U} (path only) for {@code %r} (request line). */
    public static final String REQUEST_LOG_FORMAT =
            "%h %l %u [%t{dd/MMM/yyyy:HH:mm:ss Z,UTC}] \"%m %U %H\" %s %b \"%i{User-Agent}\" %D";

    private static final Logger LOG = LoggerFactory.getLogger(ServerDefaults.class);
    /** logback-access conversions that print the query string, or a request parameter such as the token. */
    private static final Pattern QUERY_REVEALING =
            Pattern.compile("%(r|q|requestURL|queryString|fullRequest|reqParameter|requestParameter)\\b");

    private ServerDefaults() {}

    /** Applies both defaults to {@code server}. */
    public static void apply(ServerFactory server) {
        adminOnLoopback(server);
        requestLogWithoutQueryStrings(server);
    }

    static void adminOnLoopback(ServerFactory server) {
        if (!(server instanceof DefaultServerFactory factory)) {
            return; // the simple server has one connector for both: its bindHost is the application's
        }
        for (ConnectorFactory connector : factory.getAdminConnectors()) {
            if (connector instanceof HttpConnectorFactory http) {
                if (http.getBindHost() == null) {
                    http.setBindHost(ADMIN_BIND_HOST);
                } else if (!isLoopback(http.getBindHost())) {
                    LOG.warn(
                            "the admin connector binds to {}:{}, not a loopback address: anyone who reaches it can"
                                    + " kick clients, broadcast to every terminal and drain the node (no authentication);"
                                    + " keep bindHost: 127.0.0.1 and tunnel to it, or put an authenticating proxy in front"
                                    + " (README, Configuration reference)",
                            http.getBindHost(),
                            http.getPort());
                }
            }
        }
    }

    /** True for a loopback address or a name that resolves only to loopback addresses. */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static void requestLogWithoutQueryStrings(ServerFactory server) {
        if (!(server instanceof AbstractServerFactory factory)
                || !(factory.getRequestLogFactory() instanceof LogbackAccessRequestLogFactory requestLog)) {
            return;
        }
        List<? extends AppenderFactory<?>> appenders = requestLog.getAppenders();
        for (AppenderFactory<?> appender : appenders) {
            if (appender instanceof AbstractAppenderFactory<?> configurable) {
                String format = configurable.getLogFormat();
                if (format == null) {
                    configurable.setLogFormat(REQUEST_LOG_FORMAT);
                } else if (QUERY_REVEALING.matcher(format).find()) {
                    LOG.warn(
                            "server.requestLog logFormat '{}' logs query strings: every terminal's one-time token "
                                    + "will be in the request log; use %U instead of %r",
                            format);
                }
            }
        }
    }
}
