package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.File;
import org.junit.jupiter.api.Test;

/** The top-level config.yml (the README's first command) is valid and runs its own Redis on 6380. */
class ConfigYmlTest {

    @Test
    void topLevelConfigIsValidAndUsesTheEmbeddedRedis() throws Exception {
        ImServiceConfiguration config = new YamlConfigurationFactory<>(
                        ImServiceConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new File("../config.yml"));

        assertThat(config.getRedis().getEmbedded()).isNotNull();
        assertThat(config.getRedis().getEmbedded().getPort()).isEqualTo(6380);
        assertThat(config.getRedis().getUri()).isEqualTo("redis://127.0.0.1:6380");
        assertThat(config.getRedis()
                        .getEmbedded()
                        .build(config.getRedis().parsedUri())
                        .port())
                .isEqualTo(6380);
        assertThat(config.getCluster().build().self()).isEqualTo("127.0.0.1:6001");
    }
}
