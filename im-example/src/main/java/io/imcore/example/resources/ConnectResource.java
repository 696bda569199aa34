package io.imcore.example.resources;

import io.imcore.client.ImHelper;
import io.imcore.example.api.ConnectRequest;
import io.imcore.example.api.ConnectResponse;
import io.imcore.example.core.Inputs;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/pre-connect}: what a page calls before every (re)connect. The business side decides who may
 * connect (here: anyone with a valid nickname) and asks {@link ImHelper#prevConnectServer} for a one-time URL.
 */
@Path("/pre-connect")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectResource {
    /** Token metadata: passed back in the node's online/offline events. */
    static final String METADATA = "web";

    private final Inputs inputs;

    public ConnectResource(Inputs inputs) {
        this.inputs = inputs;
    }

    @POST
    public ConnectResponse preConnect(ConnectRequest request) {
        String clientId = inputs.clientId("clientId", Inputs.body(request).clientId());
        return new ConnectResponse(clientId, ImHelper.prevConnectServer(clientId, METADATA));
    }
}
