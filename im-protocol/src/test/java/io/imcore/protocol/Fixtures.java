package io.imcore.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Reads the hand-written wire fixtures under {@code src/test/resources/fixtures/} and holds their shared values. */
final class Fixtures {
    /** The message id used by every message fixture. */
    static final String ID = "AAECAwQFBgcICQoLDA0ODw";
    /** The publisher's {@code ts} used by every message fixture. */
    static final long TS = 1_700_000_000_000L;

    /**
     * The {@code data} value of every message fixture, byte for byte as it appears in the files: a string with
     * unicode (2-, 3- and 4-byte UTF-8), a decimal with a trailing zero, an integer beyond 64 bits, a long beyond
     * 2^53, a nested object and array, a string that looks like JSON, escapes, and JSON null.
     */
    static final String DATA = "{\"text\":\"héllo 世界 🎉\",\"price\":1.10,"
            + "\"big\":123456789012345678901234567890,\"long\":9007199254740993,"
            + "\"nested\":{\"ok\":true,\"list\":[1,\"two\",null,false,-0.5]},"
            + "\"json\":\"{\\\"a\\\":1}\",\"esc\":\"tab\\there \\\"q\\\" \\\\ /\",\"nil\":null}";

    private Fixtures() {}

    /** The fixture at {@code fixtures/<path>}, UTF-8, without its trailing newline. */
    static String read(String path) {
        String resource = "/fixtures/" + path;
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #DATA} built node by node, without going through the codec. */
    static JsonNode expectedData() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("text", "h\u00e9llo \u4e16\u754c \uD83C\uDF89");
        data.set("price", DecimalNode.valueOf(new BigDecimal("1.10")));
        data.set("big", BigIntegerNode.valueOf(new BigInteger("123456789012345678901234567890")));
        data.put("long", 9007199254740993L);
        ObjectNode nested = data.putObject("nested");
        nested.put("ok", true);
        nested.putArray("list").add(1).add("two").addNull().add(false).add(DecimalNode.valueOf(new BigDecimal("-0.5")));
        data.put("json", "{\"a\":1}");
        data.put("esc", "tab\there \"q\" \\ /");
        data.putNull("nil");
        return data;
    }
}
