package io.imcore.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path of a node for the envelopes it handles per delivery ({@code msg}, {@code chan}, {@code all}):
 * one streaming pass over the envelope that keeps {@code data} as the publisher's JSON text (no tree), and the
 * terminal frame written straight from it as UTF-8.
 *
 * <p>{@link #parse} recognises only what it can prove gives the same result as {@link Codec#decodeEnvelope}
 * followed by {@link Codec#encode(Frame)} of the frame built from the envelope ({@link MsgFrame} for {@code msg}
 * and {@code all}, {@link ChanFrame} for {@code chan}), byte for byte: exactly the fields of the type, each of its
 * JSON type, valid as the records validate them, and a compact {@code data} (no whitespace, no number or escape
 * that Jackson would write differently, no repeated key). For anything else it returns null and the caller takes
 * the general path, so the outcome never depends on which path ran.
 *
 * <pre>{@code
 * DeliveryEnvelope fast = DeliveryEnvelope.parse(payload);
 * byte[] frame = fast != null ? fast.frame() : generalPath(payload);
 * }</pre>
 */
public final class DeliveryEnvelope {
    private static final JsonFactory FACTORY = Codec.mapper().getFactory();
    private static final byte[] SEQ = bytes(",\"seq\":");
    private static final byte[] MSG_HEAD = bytes("{\"v\":1,\"type\":\"msg\",\"id\":");
    private static final byte[] CHAN_HEAD = bytes("{\"v\":1,\"type\":\"chan\",\"id\":");
    private static final byte[] CHAN = bytes(",\"chan\":");
    private static final byte[] FROM = bytes(",\"from\":");
    private static final byte[] DATA = bytes(",\"data\":");
    private static final byte[] TS = bytes(",\"ts\":");
    private static final byte[] HEX = bytes("0123456789ABCDEF");

    private final String type;
    private final String id;
    private final String from;
    private final List<String> to;
    private final String chan;
    private final boolean receipt;
    private final long ts;
    private final String json;
    private final int dataStart;
    private final int dataEnd;

    private DeliveryEnvelope(
            String type,
            String id,
            String from,
            List<String> to,
            String chan,
            boolean receipt,
            long ts,
            String json,
            int dataStart,
            int dataEnd) {
        this.type = type;
        this.id = id;
        this.from = from;
        this.to = to;
        this.chan = chan;
        this.receipt = receipt;
        this.ts = ts;
        this.json = json;
        this.dataStart = dataStart;
        this.dataEnd = dataEnd;
    }

    /**
     * Parses a {@code msg}, {@code chan} or {@code all} envelope in one pass.
     *
     * @return the envelope, or null when the input is anything this fast path does not recognise exactly (another
     *     type, an unknown field, a missing or invalid one, non-compact data, invalid JSON): the general path
     *     ({@link Codec#decodeEnvelope}) decides then
     */
    public static DeliveryEnvelope parse(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = FACTORY.createParser(json)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            return parse(parser, json);
        } catch (IOException | RuntimeException notRecognised) {
            return null;
        }
    }

    private static DeliveryEnvelope parse(JsonParser parser, String json) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        boolean version = false;
        boolean hasTs = false;
        Boolean receipt = null;
        String type = null;
        String id = null;
        String from = null;
        String chan = null;
        List<String> to = null;
        long ts = 0;
        int dataStart = -1;
        int dataEnd = -1;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "v" -> version = value == JsonToken.VALUE_NUMBER_INT && "1".equals(parser.getText());
                case "type" -> type = text(parser, value);
                case "id" -> id = text(parser, value);
                case "from" -> from = text(parser, value);
                case "chan" -> chan = text(parser, value);
                case "to" -> to = texts(parser, value);
                case "receipt" ->
                    receipt = value == JsonToken.VALUE_TRUE
                            ? Boolean.TRUE
                            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                case "ts" -> {
                    hasTs = value == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                    ts = hasTs ? parser.getLongValue() : 0;
                }
                case "data" -> {
                    dataStart = (int) parser.currentTokenLocation().getCharOffset();
                    dataEnd = compactValueEnd(json, dataStart);
                    if (dataEnd < 0 || !sameValue(parser, value, json, dataEnd)) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
            boolean refused = switch (name) {
                case "v" -> !version;
                case "type" -> type == null;
                case "id" -> id == null;
                case "from" -> from == null;
                case "chan" -> chan == null;
                case "to" -> to == null;
                case "receipt" -> receipt == null;
                default -> false;
            };
            if (refused) {
                return null;
            }
        }
        if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
            return null;
        }
        if (!version || type == null || id == null || from == null || dataStart < 0 || !hasTs) {
            return null;
        }
        boolean fieldsOfType = switch (type) {
            case MsgEnvelope.TYPE -> to != null && chan == null;
            case ChanEnvelope.TYPE -> chan != null && to == null && receipt == null;
            case AllEnvelope.TYPE -> chan == null && to == null && receipt == null;
            default -> false;
        };
        if (!fieldsOfType || !valid(id, from, to, chan)) {
            return null;
        }
        return new DeliveryEnvelope(
                type,
                id,
                from,
                to == null ? List.of() : List.copyOf(to),
                chan,
                Boolean.TRUE.equals(receipt),
                ts,
                json,
                dataStart,
                dataEnd);
    }

    /** The records' own validation (their compact constructors), without building them. */
    private static boolean valid(String id, String from, List<String> to, String chan) {
        try {
            Fields.nonEmpty("id", id);
            Fields.sender(from);
            if (to != null) {
                to.forEach(Names::requireClientId);
            }
            if (chan != null) {
                Names.requireChannel(chan);
            }
            return true;
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    private static List<String> texts(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> texts = new ArrayList<>(2);
        JsonToken element;
        while ((element = parser.nextToken()) == JsonToken.VALUE_STRING) {
            texts.add(parser.getText());
        }
        return element == JsonToken.END_ARRAY ? texts : null;
    }

    /**
     * Lets the parser go through the value that starts at its current token (so Jackson checks its syntax, its
     * nesting depth and its keys for repeats) and checks that Jackson ends it where {@link #compactValueEnd} did,
     * and that every number in it would be written back as it is.
     */
    private static boolean sameValue(JsonParser parser, JsonToken first, String json, int end) throws IOException {
        if (!first.isStructStart()) {
            return sameNumber(parser, first) && first.isScalarValue();
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return false;
            }
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else if (!sameNumber(parser, token)) {
                return false;
            }
        }
        return parser.currentTokenLocation().getCharOffset() == end - 1;
    }

    /**
     * Whether a number token would be written back as it is by the general path: integers except {@code -0}
     * (written {@code 0}); decimals without an exponent whose {@link BigDecimal#toString} is their text.
     */
    private static boolean sameNumber(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return !"-0".equals(parser.getText());
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            String text = parser.getText();
            return text.indexOf('e') < 0
                    && text.indexOf('E') < 0
                    && new BigDecimal(text).toString().equals(text);
        }
        return true;
    }

    /**
     * The end (exclusive) of the JSON value at {@code start}, followed by {@code ,} or <code>}</code>; -1 when it
     * has whitespace, a raw control character or an escape that Jackson would not write back the same.
     */
    private static int compactValueEnd(String json, int start) {
        int n = json.length();
        if (start < 0 || start >= n) {
            return -1;
        }
        char first = json.charAt(start);
        int i = start;
        if (first == '"') {
            i = stringEnd(json, start + 1);
        } else if (first == '{' || first == '[') {
            int depth = 0;
            while (i >= 0 && i < n) {
                char c = json.charAt(i);
                if (c == '"') {
                    i = stringEnd(json, i + 1);
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                } else if (c <= ' ') {
                    return -1;
                }
                i++;
                if (depth == 0) {
                    break;
                }
            }
        } else {
            while (i < n && json.charAt(i) != ',' && json.charAt(i) != '}') {
                if (json.charAt(i) <= ' ') {
                    return -1;
                }
                i++;
            }
        }
        return i < 0 ? -1 : followedByEnd(json, i);
    }

    private static int followedByEnd(String json, int end) {
        return end < json.length() && (json.charAt(end) == ',' || json.charAt(end) == '}') ? end : -1;
    }

    /** The index after the closing quote of the string whose contents start at {@code i}; -1 as above. */
    private static int stringEnd(String json, int i) {
        int n = json.length();
        while (i < n) {
            char c = json.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c < ' ') {
                return -1;
            }
            if (c == '\\') {
                if (i + 1 >= n || !sameEscape(json, i + 1)) {
                    return -1;
                }
                i += json.charAt(i + 1) == 'u' ? 6 : 2;
            } else {
                i++;
            }
        }
        return -1;
    }

    /**
     * Whether the escape whose letter is at {@code i} is the one Jackson writes for the character it stands for:
     * {@code \" \\ \b \t \f \n \r}, and a backslash, u, 00 and two upper-case hex digits for the other control characters.
     */
    private static boolean sameEscape(String json, int i) {
        char c = json.charAt(i);
        if (c == '"' || c == '\\' || c == 'b' || c == 't' || c == 'f' || c == 'n' || c == 'r') {
            return true;
        }
        if (c != 'u' || i + 4 >= json.length()) {
            return false;
        }
        if (json.charAt(i + 1) != '0' || json.charAt(i + 2) != '0') {
            return false;
        }
        char high = json.charAt(i + 3);
        char low = json.charAt(i + 4);
        int lowValue = low >= '0' && low <= '9' ? low - '0' : low >= 'A' && low <= 'F' ? low - 'A' + 10 : -1;
        if ((high != '0' && high != '1') || lowValue < 0) {
            return false;
        }
        int value = (high - '0') * 16 + lowValue;
        return value != '\b' && value != '\t' && value != '\f' && value != '\n' && value != '\r';
    }

    /** {@code msg}, {@code chan} or {@code all}. */
    public String type() {
        return type;
    }

    /** The message id. */
    public String id() {
        return id;
    }

    /** The sender, or "" for a system message. */
    public String from() {
        return from;
    }

    /** The receivers of a {@code msg}; empty for {@code chan} and {@code all}. */
    public List<String> to() {
        return to;
    }

    /** The channel of a {@code chan}; null for the other types. */
    public String chan() {
        return chan;
    }

    /** Whether a {@code msg} asks for receipts; false for the other types. */
    public boolean receipt() {
        return receipt;
    }

    /** The publisher's time, epoch milliseconds. */
    public long ts() {
        return ts;
    }

    /** The {@code data} value as the publisher wrote it (its JSON text). */
    public String data() {
        return json.substring(dataStart, dataEnd);
    }

    /**
     * The terminal frame without {@code seq}, UTF-8: {@code {"v":1,"type":"msg","id","from","data","ts"}} for
     * {@code msg} and {@code all}, {@code {"v":1,"type":"chan","id","chan","from","data","ts"}} for {@code chan}.
     *
     * @return the frame, or null in the one case its bytes cannot be the general path's: a lone surrogate in a
     *     string (never in an entry read from Redis, whose text is decoded from UTF-8)
     */
    public byte[] frame() {
        return frame(-1);
    }

    /**
     * The terminal frame of {@link #frame()} with {@code "seq":seq} as its last field.
     *
     * @param seq the client's sequence number, not negative
     * @return the frame, or null as {@link #frame()}
     */
    public byte[] frameWithSeq(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, was " + seq);
        }
        return frame(seq);
    }

    private byte[] frame(long seq) {
        boolean isChan = ChanEnvelope.TYPE.equals(type);
        String tsText = Long.toString(ts);
        String seqText = seq < 0 ? null : Long.toString(seq);
        int idLength = escapedLength(id);
        int fromLength = escapedLength(from);
        int chanLength = isChan ? escapedLength(chan) : 0;
        int dataLength = utf8Length(json, dataStart, dataEnd);
        if (idLength < 0 || fromLength < 0 || chanLength < 0 || dataLength < 0) {
            return null;
        }
        int length = (isChan ? CHAN_HEAD.length + CHAN.length + chanLength : MSG_HEAD.length)
                + idLength
                + FROM.length
                + fromLength
                + DATA.length
                + dataLength
                + TS.length
                + tsText.length()
                + (seqText == null ? 0 : SEQ.length + seqText.length())
                + 1;
        byte[] out = new byte[length];
        int at = put(out, 0, isChan ? CHAN_HEAD : MSG_HEAD);
        at = putEscaped(out, at, id);
        if (isChan) {
            at = putEscaped(out, put(out, at, CHAN), chan);
        }
        at = putEscaped(out, put(out, at, FROM), from);
        at = putUtf8(out, put(out, at, DATA), json, dataStart, dataEnd);
        at = putAscii(out, put(out, at, TS), tsText);
        if (seqText != null) {
            at = putAscii(out, put(out, at, SEQ), seqText);
        }
        out[at] = '}';
        return out;
    }

    /** The UTF-8 length of a string written as Jackson writes it, quotes included; -1 for a lone surrogate. */
    private static int escapedLength(String s) {
        int extra = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\f' || c == '\n' || c == '\r') {
                extra++;
            } else if (c < ' ') {
                extra += 5;
            }
        }
        int utf8 = utf8Length(s, 0, s.length());
        return utf8 < 0 ? -1 : utf8 + extra;
    }

    private static int putEscaped(byte[] out, int at, String s) {
        out[at++] = '"';
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char escape = switch (c) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '\b' -> 'b';
                case '\t' -> 't';
                case '\f' -> 'f';
                case '\n' -> 'n';
                case '\r' -> 'r';
                default -> c < ' ' ? 'u' : 0;
            };
            if (escape == 0) {
                continue;
            }
            at = putUtf8(out, at, s, run, i);
            run = i + 1;
            out[at++] = '\\';
            out[at++] = (byte) escape;
            if (escape == 'u') {
                out[at++] = '0';
                out[at++] = '0';
                out[at++] = HEX[c >> 4];
                out[at++] = HEX[c & 0xF];
            }
        }
        at = putUtf8(out, at, s, run, s.length());
        out[at++] = '"';
        return at;
    }

    /** The UTF-8 length of {@code s[from, to)}, or -1 when it holds a lone surrogate. */
    private static int utf8Length(String s, int from, int to) {
        int length = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= to || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return -1;
                }
                length += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Writes {@code s[from, to)} as UTF-8 (checked by {@link #utf8Length} before). */
    private static int putUtf8(byte[] out, int at, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int code = Character.toCodePoint(c, s.charAt(++i));
                out[at++] = (byte) (0xF0 | (code >> 18));
                out[at++] = (byte) (0x80 | ((code >> 12) & 0x3F));
                out[at++] = (byte) (0x80 | ((code >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (code & 0x3F));
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return at;
    }

    private static int putAscii(byte[] out, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
