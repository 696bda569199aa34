package io.imcore.example.core;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploaded files of the transfer flow, on disk under one directory, known by a random id. It keeps them until
 * the app stops, then deletes them (a demo: a real backend would use its object store).
 */
public final class FileStore implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    private static final int BUFFER = 64 * 1024;

    /** A stored upload. */
    public record StoredFile(String id, String name, long size, Path path) {}

    private final Path directory;
    private final long maxSize;
    private final boolean ownsDirectory;
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

    /** A store under {@code directory}; with {@code ownsDirectory} the directory itself is deleted at stop. */
    public FileStore(Path directory, long maxSize, boolean ownsDirectory) {
        this.directory = directory;
        this.maxSize = maxSize;
        this.ownsDirectory = ownsDirectory;
    }

    /** Largest upload accepted, in bytes. */
    public long maxSize() {
        return maxSize;
    }

    /** A new random file id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Copies {@code in} to a new file under {@code id}.
     *
     * @throws FileTooLargeException when more than {@link #maxSize()} bytes arrive (nothing is kept)
     */
    public StoredFile save(String id, String name, InputStream in) throws IOException {
        Path path = directory.resolve(id);
        long size = 0;
        try (OutputStream out = Files.newOutputStream(path)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) != -1; ) {
                size += n;
                if (size > maxSize) {
                    throw new FileTooLargeException(maxSize);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
        StoredFile stored = new StoredFile(id, name, size, path);
        files.put(id, stored);
        return stored;
    }

    /** The file stored under {@code id}, if any. */
    public Optional<StoredFile> find(String id) {
        return Optional.ofNullable(files.get(id));
    }

    @Override
    public void stop() {
        for (StoredFile file : files.values()) {
            try {
                Files.deleteIfExists(file.path());
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", file.path(), e.toString());
            }
        }
        files.clear();
        if (!ownsDirectory) {
            return;
        }
        try (var left = Files.list(directory)) {
            if (left.findAny().isEmpty()) {
                Files.delete(directory);
            }
        } catch (IOException e) {
            LOG.debug("kept {}: {}", directory, e.toString());
        }
    }
}
