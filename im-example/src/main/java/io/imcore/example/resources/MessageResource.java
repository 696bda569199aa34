package io.imcore.example.resources;

import io.imcore.client.ImHelper;
import io.imcore.example.api.PrivateMessage;
import io.imcore.example.api.Sent;
import io.imcore.example.core.ChatData;
import io.imcore.example.core.Inputs;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Private messages (with receipts) and who is online. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class MessageResource {
    private final Inputs inputs;

    public MessageResource(Inputs inputs) {
        this.inputs = inputs;
    }

    /**
     * {@code POST /api/send}: sends {@code text} from {@code from} to {@code to} and asks for a receipt: the
     * sender's pages get {@code delivered} or {@code offline} for the returned id.
     */
    @POST
    @Path("send")
    public Sent send(PrivateMessage message) {
        PrivateMessage body = Inputs.body(message);
        String from = inputs.clientId("from", body.from());
        String to = inputs.clientId("to", body.to());
        String text = inputs.text("text", body.text());
        return new Sent(ImHelper.sendMessage(from, List.of(to), ChatData.text(text), true));
    }

    /** {@code GET /api/online}: every online client id, sorted. */
    @GET
    @Path("online")
    public List<String> online() {
        return ImHelper.getClientListByOnline().stream().sorted().toList();
    }
}
