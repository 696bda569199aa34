package io.imcore.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The JSON codec of the protocol: encodes and decodes {@link Envelope}s, {@link Frame}s, {@link TokenPayload}
 * and {@link NodeLease}, and turns a message object into its {@code data} value.
 *
 * <p>Decoding checks {@code "v":1} (frames from terminals may omit it), the {@code type} and every field, and
 * reports any problem as one {@link ProtocolException}. Numbers in {@code data} keep their exact value
 * (decimals are read as {@link java.math.BigDecimal}, trailing zeros kept). A missing {@code receipt} reads
 * as {@code false}; a missing {@code ts} is a missing field. Scalars of the wrong JSON type (a number where a
 * string belongs, a string or a number where a boolean belongs, a string or a decimal where an integer belongs)
 * are rejected, not converted.
 */
public final class Codec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static {
        // "clientId": 42 or "metadata": true are wrong types, not strings to be guessed at
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // nor are "receipt": 1 (read as true) or "ts": "17" and "ts": 1.5 (read as 17 and 1)
        MAPPER.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    /**
     * Builds {@code data} trees from objects in {@link #toData}. Without {@code USE_BIG_DECIMAL_FOR_FLOATS}, so a
     * {@code float} or {@code double} keeps the value Jackson writes for it (with it, 1.1f became 1.100000023841858
     * and -0.0 became 0.0); BigDecimal and BigInteger values stay exact either way.
     */
    private static final ObjectMapper TREE_MAPPER =
            MAPPER.copy().disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Codec() {}

    /** The shared, configured mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Encodes an envelope. */
    public static String encode(Envelope envelope) {
        return write(envelope);
    }

    /** Encodes a frame. */
    public static String encode(Frame frame) {
        return write(frame);
    }

    /** Encodes a token payload. */
    public static String encode(TokenPayload payload) {
        return write(payload);
    }

    /** Encodes a node lease. */
    public static String encode(NodeLease lease) {
        return write(lease);
    }

    /**
     * Decodes an envelope published on Redis; {@code v} must be 1.
     *
     * <p>The message envelopes a node handles per delivery ({@code msg}, {@code chan}, {@code all}) are built
     * straight from the parsed tree when every field has its expected JSON type, reusing the parsed {@code data}
     * subtree; anything else, and any envelope their constructors refuse, takes the general path, so results and
     * error messages are the same either way. (Profiled: the general path's second pass over the tree was about
     * a third of a node's Java work per point-to-point message.)
     */
    public static Envelope decodeEnvelope(String json) throws ProtocolException {
        JsonNode tree = parseObject(json);
        checkVersion(tree.get("v"), true);
        Envelope direct = MessageEnvelopes.fromTree(tree);
        return direct != null ? direct : fromTree(tree, Envelope.class);
    }

    /** {@link #decodeEnvelope} without the direct path: Jackson data binding only (for tests of their agreement). */
    static Envelope decodeEnvelopeByBinding(String json) throws ProtocolException {
        return read(json, Envelope.class, true);
    }

    /** Decodes a frame (either direction); {@code v}, when present, must be 1. */
    public static Frame decodeFrame(String json) throws ProtocolException {
        return read(json, Frame.class, false);
    }

    /** Decodes a token's stored value; {@code v} must be 1. */
    public static TokenPayload decodeToken(String json) throws ProtocolException {
        return read(json, TokenPayload.class, true);
    }

    /** Decodes a {@code nodes} hash entry; {@code v} must be 1. */
    public static NodeLease decodeLease(String json) throws ProtocolException {
        return read(json, NodeLease.class, true);
    }

    /**
     * The {@code data} value of a message: a {@link String} becomes a JSON string, a {@link JsonNode} is
     * used as it is, any other object becomes its Jackson JSON.
     *
     * @throws IllegalArgumentException when the object cannot be serialized, or is null
     */
    public static JsonNode toData(Object message) {
        if (message == null) {
            throw new IllegalArgumentException("message must not be null");
        }
        if (message instanceof String text) {
            return TextNode.valueOf(text);
        }
        if (message instanceof JsonNode node) {
            return node;
        }
        return TREE_MAPPER.valueToTree(message);
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, Class<T> type, boolean versionRequired) throws ProtocolException {
        JsonNode tree = parseObject(json);
        checkVersion(tree.get("v"), versionRequired);
        return fromTree(tree, type);
    }

    private static JsonNode parseObject(String json) throws ProtocolException {
        if (json == null) {
            throw new ProtocolException("no JSON");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            // Jackson lets some failures of its number parsing out unwrapped (a NumberFormatException for
            // 1e2147483648); a decoder of untrusted input reports every failure as a protocol problem
            throw new ProtocolException("invalid JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ProtocolException("not a JSON object");
        }
        return tree;
    }

    private static <T> T fromTree(JsonNode tree, Class<T> type) throws ProtocolException {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (InvalidTypeIdException e) {
            JsonNode kind = tree.get("type");
            throw new ProtocolException(kind == null ? "missing field 'type'" : "unknown type " + kind, e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProtocolException(cause.getMessage(), e);
        } catch (JsonProcessingException | RuntimeException e) {
            String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new ProtocolException("invalid field: " + message, e);
        }
    }

    private static void checkVersion(JsonNode version, boolean required) throws ProtocolException {
        if (version == null) {
            if (required) {
                throw new ProtocolException("missing field 'v'");
            }
            return;
        }
        if (!version.isIntegralNumber() || version.asLong() != Protocol.VERSION) {
            throw new ProtocolException("unsupported protocol version " + version);
        }
    }
}
