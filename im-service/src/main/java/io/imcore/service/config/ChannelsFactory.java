package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code channels:} section. */
public class ChannelsFactory {
    /** Keep a client's channel memberships when its last connection closes. Default false: it leaves them. */
    private boolean keepOnDisconnect = false;

    @JsonProperty
    public boolean isKeepOnDisconnect() {
        return keepOnDisconnect;
    }

    @JsonProperty
    public void setKeepOnDisconnect(boolean keepOnDisconnect) {
        this.keepOnDisconnect = keepOnDisconnect;
    }
}
