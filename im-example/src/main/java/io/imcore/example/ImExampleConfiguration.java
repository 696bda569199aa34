package io.imcore.example;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.imcore.example.config.ChatFactory;
import io.imcore.example.config.FilesFactory;
import io.imcore.example.config.ImFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The demo's configuration: Dropwizard's {@code server:} and {@code logging:} plus the sections below. */
public class ImExampleConfiguration extends Configuration {
    @Valid
    @NotNull
    private ImFactory im = new ImFactory();

    @Valid
    @NotNull
    private ChatFactory chat = new ChatFactory();

    @Valid
    @NotNull
    private FilesFactory files = new FilesFactory();

    @JsonProperty
    public ImFactory getIm() {
        return im;
    }

    @JsonProperty
    public void setIm(ImFactory im) {
        this.im = im;
    }

    @JsonProperty
    public ChatFactory getChat() {
        return chat;
    }

    @JsonProperty
    public void setChat(ChatFactory chat) {
        this.chat = chat;
    }

    @JsonProperty
    public FilesFactory getFiles() {
        return files;
    }

    @JsonProperty
    public void setFiles(FilesFactory files) {
        this.files = files;
    }
}
