package io.imcore.example.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** The {@code chat:} section: what the demo offers before anyone has joined anything. */
public class ChatFactory {
    /**
     * Channels always listed (with their online count), even with no member yet. The first is the lobby: a new
     * page starts in it, and the online/offline notices are sent there. Default [lobby, random].
     */
    @NotEmpty
    private List<String> channels = List.of("lobby", "random");

    /** Longest text message accepted, in characters. Default 2000. */
    @Min(1)
    @Max(100_000)
    private int maxTextLength = 2000;

    @JsonProperty
    public List<String> getChannels() {
        return channels;
    }

    @JsonProperty
    public void setChannels(List<String> channels) {
        this.channels = channels;
    }

    @JsonProperty
    public int getMaxTextLength() {
        return maxTextLength;
    }

    @JsonProperty
    public void setMaxTextLength(int maxTextLength) {
        this.maxTextLength = maxTextLength;
    }
}
