package io.imcore.service.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Makes fuzz inputs from valid JSON fixtures, reproducibly from a seed: structural mutations (a field dropped,
 * a value of the wrong JSON type, another {@code type}, another {@code v}, unknown fields, huge strings, deep
 * nesting) and textual ones (characters flipped, inserted, deleted, the text truncated or spliced), plus
 * random text and deeply nested junk.
 */
public final class Mutator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] TYPES = {
        "msg", "chan", "all", "receipt", "kick", "join", "leave", "ping", "pong", "hello", "error", "online", "offline",
        "", "MSG", "msg ", "null"
    };
    private static final String PALETTE = "{}[]\":,\\ abcxyz019-_.\u0000\u001f\u007f\t\n\u00e9\u4e16\ud83d\ude00";

    private final Random random;
    private int ids;

    public Mutator(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** One input made from one of {@code fixtures}, each a JSON object; a field {@code id} gets a fresh value first. */
    public String next(List<String> fixtures) {
        int kind = random.nextInt(100);
        if (kind < 6) {
            return randomText(random.nextInt(200));
        }
        if (kind < 9) {
            return deepNesting();
        }
        String text = fixtures.get(random.nextInt(fixtures.size()));
        ObjectNode tree = parse(text);
        if (tree.has("id")) {
            tree.put("id", "fz-" + (++ids));
        }
        if (kind < 25) {
            return tree.toString(); // a valid input now and then, so the barrage also delivers
        }
        if (kind < 70) {
            int mutations = 1 + random.nextInt(3);
            for (int i = 0; i < mutations; i++) {
                mutateTree(tree);
            }
        }
        text = tree.toString();
        if (kind >= 55) {
            int mutations = 1 + random.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                text = mutateText(text);
            }
        }
        return text;
    }

    private void mutateTree(ObjectNode tree) {
        List<String> fields = new ArrayList<>();
        Iterator<String> names = tree.fieldNames();
        names.forEachRemaining(fields::add);
        String field = fields.isEmpty() ? "x" : fields.get(random.nextInt(fields.size()));
        switch (random.nextInt(8)) {
            case 0 -> tree.remove(field);
            case 1 -> tree.set(field, randomValue(2));
            case 2 -> tree.put("type", TYPES[random.nextInt(TYPES.length)]);
            case 3 ->
                tree.set(
                        "v",
                        pick(
                                NODES.numberNode(0),
                                NODES.numberNode(2),
                                NODES.textNode("1"),
                                NODES.numberNode(1.0),
                                NODES.nullNode(),
                                NODES.numberNode(-1)));
            case 4 -> tree.set("extra" + random.nextInt(3), randomValue(3));
            case 5 -> tree.put(field, hugeString());
            case 6 -> tree.set(field, nest(tree.get(field), 1 + random.nextInt(300)));
            default -> {
                JsonNode value = tree.get(field);
                if (value instanceof ArrayNode array) {
                    array.add(randomValue(1));
                } else {
                    tree.set(field, NODES.arrayNode().add(value == null ? NODES.nullNode() : value));
                }
            }
        }
    }

    private JsonNode randomValue(int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 6)) {
            case 0 -> NODES.numberNode(random.nextLong());
            case 1 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> NODES.textNode(randomText(random.nextInt(20)));
            case 5 -> NODES.textNode(random.nextInt(50) == 0 ? hugeString() : "fz-c");
            case 6 -> NODES.arrayNode().add(randomValue(depth - 1)).add(randomValue(depth - 1));
            case 7 -> NODES.objectNode().set("k", randomValue(depth - 1));
            default -> NODES.arrayNode();
        };
    }

    private String mutateText(String text) {
        if (text.isEmpty()) {
            return randomText(5);
        }
        int at = random.nextInt(text.length());
        return switch (random.nextInt(6)) {
            case 0 -> text.substring(0, at) + randomChar() + text.substring(at + 1);
            case 1 -> text.substring(0, at) + randomText(1 + random.nextInt(5)) + text.substring(at);
            case 2 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(10)));
            case 3 -> text.substring(0, at);
            case 4 -> text.substring(0, at) + text.substring(random.nextInt(text.length()));
            default -> text.substring(at) + text.substring(0, at);
        };
    }

    private String deepNesting() {
        int depth = 100 + random.nextInt(5000);
        boolean balanced = random.nextBoolean();
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(depth) + "1" + (balanced ? close.repeat(depth) : close.repeat(random.nextInt(depth)));
    }

    private String hugeString() {
        return "h".repeat(1000 + random.nextInt(80_000));
    }

    private JsonNode nest(JsonNode value, int depth) {
        JsonNode nested = value == null ? NODES.nullNode() : value;
        for (int i = 0; i < depth; i++) {
            nested = NODES.arrayNode().add(nested);
        }
        return nested;
    }

    public String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(randomChar());
        }
        return text.toString();
    }

    private char randomChar() {
        return random.nextInt(4) == 0
                ? (char) random.nextInt(0x3000)
                : PALETTE.charAt(random.nextInt(PALETTE.length()));
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fixture is not a JSON object: " + json, e);
        }
    }
}
