package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's business-backend example is the sample program of {@code examples/backend-sample}, which every
 * build compiles: the README shows it whole, so what a reader copies compiles.
 */
class ReadmeSampleTest {
    private static final Path ROOT = Path.of("..");
    private static final Path SAMPLE = Path.of(
            "examples", "backend-sample", "src", "main", "java", "com", "example", "imcore", "BackendSample.java");

    @Test
    void theReadmeShowsTheSampleProgramAsItIs() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String sample = Files.readString(ROOT.resolve(SAMPLE), StandardCharsets.UTF_8);

        assertThat(readme).contains("```java\n" + sample + "```\n");
    }
}
