package io.imcore.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The direct decoding of the per-delivery envelopes ({@code msg}, {@code chan}, {@code all}) from a parsed tree,
 * used by {@link Codec#decodeEnvelope}. It only accepts what the general (Jackson data-binding) path accepts with
 * the same result: every field present with exactly its expected JSON type, the record's own validation passing.
 * For anything else it returns null and the general path decides, with its error messages.
 */
final class MessageEnvelopes {
    private MessageEnvelopes() {}

    /** The envelope, or null when the general path must decide. */
    static Envelope fromTree(JsonNode tree) {
        JsonNode type = tree.get("type");
        if (type == null || !type.isTextual()) {
            return null;
        }
        try {
            return switch (type.textValue()) {
                case MsgEnvelope.TYPE -> msg(tree);
                case ChanEnvelope.TYPE -> chan(tree);
                case AllEnvelope.TYPE -> all(tree);
                default -> null;
            };
        } catch (IllegalArgumentException refused) {
            return null; // the general path builds the same record and reports the same refusal
        }
    }

    private static Envelope msg(JsonNode tree) {
        String id = text(tree, "id");
        String from = text(tree, "from");
        List<String> to = texts(tree.get("to"));
        JsonNode data = tree.get("data");
        JsonNode receipt = tree.get("receipt");
        JsonNode ts = tree.get("ts");
        if (id == null
                || from == null
                || to == null
                || data == null
                || !isLong(ts)
                || (receipt != null && !receipt.isBoolean())) {
            return null;
        }
        return new MsgEnvelope(id, from, to, data, receipt != null && receipt.booleanValue(), ts.longValue());
    }

    private static Envelope chan(JsonNode tree) {
        String id = text(tree, "id");
        String from = text(tree, "from");
        String chan = text(tree, "chan");
        JsonNode data = tree.get("data");
        JsonNode ts = tree.get("ts");
        if (id == null || from == null || chan == null || data == null || !isLong(ts)) {
            return null;
        }
        return new ChanEnvelope(id, from, chan, data, ts.longValue());
    }

    private static Envelope all(JsonNode tree) {
        String id = text(tree, "id");
        String from = text(tree, "from");
        JsonNode data = tree.get("data");
        JsonNode ts = tree.get("ts");
        if (id == null || from == null || data == null || !isLong(ts)) {
            return null;
        }
        return new AllEnvelope(id, from, data, ts.longValue());
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static List<String> texts(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                return null;
            }
            values.add(element.textValue());
        }
        return values;
    }

    private static boolean isLong(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong();
    }
}
