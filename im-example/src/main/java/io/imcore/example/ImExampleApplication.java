package io.imcore.example;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.imcore.example.core.FileStore;
import io.imcore.example.core.Inputs;
import io.imcore.example.core.PresenceNotices;
import io.imcore.example.health.ImHealthCheck;
import io.imcore.example.resources.ChannelResource;
import io.imcore.example.resources.ConnectResource;
import io.imcore.example.resources.FileResource;
import io.imcore.example.resources.ImExceptionMapper;
import io.imcore.example.resources.MessageResource;

/**
 * The demo business backend (the original ImCore's {@code web} project): a chat page and the JSON endpoints it
 * calls, each of which decides and then pushes through {@link io.imcore.client.ImHelper}. Run it with
 * {@code java -jar im-example.jar server im-example/config.yml} next to a node, and open http://127.0.0.1:5000.
 */
public class ImExampleApplication extends Application<ImExampleConfiguration> {

    public static void main(String[] args) throws Exception {
        new ImExampleApplication().run(args);
    }

    @Override
    public String getName() {
        return "im-example";
    }

    @Override
    public void initialize(Bootstrap<ImExampleConfiguration> bootstrap) {
        // index.html, imcore.js and the page's script at /; the JSON API lives under server.rootPath (/api).
        bootstrap.addBundle(new AssetsBundle("/assets/", "/", "index.html"));
    }

    @Override
    public void run(ImExampleConfiguration config, Environment environment) {
        config.getIm().build(environment);
        Inputs inputs = new Inputs(config.getChat().getMaxTextLength());
        FileStore files = config.getFiles().build(environment);
        environment
                .lifecycle()
                .manage(new PresenceNotices(config.getChat().getChannels().get(0)));

        environment.jersey().register(new ImExceptionMapper());
        environment.jersey().register(new ConnectResource(inputs));
        environment
                .jersey()
                .register(new ChannelResource(inputs, config.getChat().getChannels()));
        environment.jersey().register(new MessageResource(inputs));
        environment.jersey().register(new FileResource(inputs, files));
        environment.healthChecks().register("im", new ImHealthCheck());
    }
}
