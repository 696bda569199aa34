package io.imcore.example.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code data} the demo puts in its messages; the page switches on {@code kind}:
 * {@code text}, {@code file} (status {@code transferring}, {@code done} or {@code failed}) and {@code presence}.
 */
public final class ChatData {
    private ChatData() {}

    /** {@code {"kind":"text","text":…}}. */
    public static Map<String, Object> text(String text) {
        return Map.of("kind", "text", "text", text);
    }

    /** {@code {"kind":"file","status":…,"fileId","name","size"[,"url"]}}. */
    public static Map<String, Object> file(String status, String fileId, String name, long size, String url) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", "file");
        data.put("status", status);
        data.put("fileId", fileId);
        data.put("name", name);
        data.put("size", size);
        if (url != null) {
            data.put("url", url);
        }
        return data;
    }

    /** {@code {"kind":"presence","clientId","status":"online"|"offline","reason"}}. */
    public static Map<String, Object> presence(String clientId, String status, String reason) {
        return Map.of("kind", "presence", "clientId", clientId, "status", status, "reason", reason);
    }
}
