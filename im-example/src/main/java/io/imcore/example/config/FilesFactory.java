package io.imcore.example.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import io.imcore.example.core.FileStore;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code files:} section: where uploaded files go for the file-transfer flow. */
public class FilesFactory {
    /** Largest upload accepted. Default 10 MiB. */
    @NotNull
    @MinDataSize(value = 1, unit = DataSizeUnit.BYTES)
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    private DataSize maxSize = DataSize.mebibytes(10);

    /** Directory for uploads; default: none, a new temporary directory deleted when the app stops. */
    private String directory;

    @JsonProperty
    public DataSize getMaxSize() {
        return maxSize;
    }

    @JsonProperty
    public void setMaxSize(DataSize maxSize) {
        this.maxSize = maxSize;
    }

    @JsonProperty
    public String getDirectory() {
        return directory;
    }

    @JsonProperty
    public void setDirectory(String directory) {
        this.directory = directory;
    }

    /** Creates the directory when needed and the store over it, whose {@code stop()} removes what it wrote. */
    public FileStore build(Environment environment) {
        try {
            Path dir = directory == null
                    ? Files.createTempDirectory("im-example-files")
                    : Files.createDirectories(Path.of(directory));
            FileStore store = new FileStore(dir, maxSize.toBytes(), directory == null);
            environment.lifecycle().manage(store);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("files.directory: cannot create " + directory, e);
        }
    }
}
