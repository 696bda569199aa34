package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.Tokens;
import io.imcore.service.support.FreePorts;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.NodeProcess;
import io.imcore.testkit.TestTerminal;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;

/**
 * A node on a Redis that speaks TLS only and refuses anonymous clients: {@code redis.uri:
 * rediss://app:<password>@host:port} (an ACL user limited to the {@code im:} keys and channels) and the CA in
 * the JVM's trust store ({@code -Djavax.net.ssl.trustStore}). The node, a process of its own here, starts,
 * its subscriber subscribes, terminals connect and get messages, and the password is not in its log.
 */
class RedisTlsAclIntegrationTest {
    static final String PASSWORD = Tokens.newToken();
    static final String STORE_PASSWORD = "changeit";
    /** The node runs as a process on the TLS Redis below; the fixture's own Redis and client go unused. */
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().running();

    @TempDir
    static Path dir;

    static Process redis;
    static int port;
    static JedisClientConfig adminConfig;

    @BeforeAll
    static void tlsRedisWithAnAclUser() throws Exception {
        Path store = dir.resolve("redis.p12");
        run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "redis",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        Certificate certificate = keys.getCertificate("redis");
        PrivateKey key = (PrivateKey) keys.getKey("redis", STORE_PASSWORD.toCharArray());
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("redis-ca", certificate);
        try (var out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        }

        port = FreePorts.next();
        redis = new ProcessBuilder(
                        redisServer(),
                        "--port",
                        "0",
                        "--tls-port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--tls-cert-file",
                        dir.resolve("cert.pem").toString(),
                        "--tls-key-file",
                        dir.resolve("key.pem").toString(),
                        "--tls-ca-cert-file",
                        dir.resolve("cert.pem").toString(),
                        "--tls-auth-clients",
                        "no",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        JedisClientConfig anonymous = DefaultJedisClientConfig.builder()
                .ssl(true)
                .sslSocketFactory(tls.getSocketFactory())
                .build();
        await("redis-server with TLS")
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> {
                    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port), anonymous)) {
                        return "PONG".equals(jedis.ping());
                    }
                });
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port), anonymous)) {
            jedis.aclSetUser("app", "on", ">" + PASSWORD, "~im:*", "&im:*", "+@all");
            jedis.aclSetUser("default", "off");
        }
        adminConfig = DefaultJedisClientConfig.builder()
                .ssl(true)
                .sslSocketFactory(tls.getSocketFactory())
                .user("app")
                .password(PASSWORD)
                .build();
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNodeWorksOverTlsAsAnAclUserAndNeverLogsThePassword() throws Exception {
        String entry = CLUSTER.entry(0);
        try (NodeProcess node = CLUSTER.startProcess(
                        0,
                        "rediss://app:" + PASSWORD + "@127.0.0.1:" + port,
                        Map.of(),
                        List.of(
                                "-Djavax.net.ssl.trustStore=" + dir.resolve("trust.p12"),
                                "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD,
                                "-Djavax.net.ssl.trustStoreType=PKCS12"));
                Jedis app = new Jedis(new HostAndPort("127.0.0.1", port), adminConfig)) {
            assertThat(node.admin().isHealthy("redis")).isTrue();
            assertThat(node.admin().isHealthy("redis-subscriber")).isTrue();
            assertThat(app.hexists("im:nodes", entry)).isTrue();

            String token = Tokens.newToken();
            app.set(
                    "im:token:" + token,
                    "{\"v\":1,\"clientId\":\"tls-1\",\"metadata\":\"\"}",
                    SetParams.setParams().ex(30));
            try (TestTerminal terminal = TestTerminal.connectReady("ws://" + entry + "/ws?token=" + token)) {
                assertThat(app.hget("im:node:" + entry + ":online", "tls-1")).isEqualTo("1");
                app.xadd(
                        "im:node:" + entry,
                        StreamEntryID.NEW_ENTRY,
                        Map.of(
                                "e",
                                "{\"v\":1,\"type\":\"msg\",\"id\":\"tls-m1\",\"from\":\"\","
                                        + "\"to\":[\"tls-1\"],\"data\":\"over TLS\",\"ts\":1}"));
                assertThat(terminal.next("msg").path("data").asText()).isEqualTo("over TLS");
            }

            node.terminate();
            assertThat(node.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(app.hexists("im:nodes", entry)).isFalse();
            assertThat(node.log()).contains("im-reader reading").doesNotContain(PASSWORD);
        }
    }

    private static String redisServer() {
        String explicit = System.getProperty("IMCORE_REDIS_SERVER", System.getenv("IMCORE_REDIS_SERVER"));
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + output);
        }
    }
}
