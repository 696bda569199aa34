package io.imcore.example.api;

/**
 * Answer of {@code POST /api/files}: the id of the "done" notice (its receipt names it), the stored file and
 * its download link.
 */
public record FileSent(String id, String fileId, String name, long size, String url) {}
