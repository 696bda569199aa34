package io.imcore.example.resources;

import io.imcore.client.ChannelInfo;
import io.imcore.client.ImHelper;
import io.imcore.example.api.ChannelMessage;
import io.imcore.example.api.ChannelRequest;
import io.imcore.example.api.ChannelView;
import io.imcore.example.api.Sent;
import io.imcore.example.core.ChatData;
import io.imcore.example.core.Inputs;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Group channels: list with online counts, join, leave and group messages. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class ChannelResource {
    private final Inputs inputs;
    private final List<String> defaultChannels;

    public ChannelResource(Inputs inputs, List<String> defaultChannels) {
        this.inputs = inputs;
        this.defaultChannels = List.copyOf(defaultChannels);
    }

    /**
     * {@code GET /api/channels[?clientId=…]}: the configured channels first, then every other channel that has a
     * member, each with its online count; {@code joined} tells whether {@code clientId} is a member.
     */
    @GET
    @Path("channels")
    public List<ChannelView> channels(@QueryParam("clientId") String clientId) {
        Set<String> mine =
                clientId == null ? Set.of() : ImHelper.getChanListByClientId(inputs.clientId("clientId", clientId));
        Map<String, Long> online = new LinkedHashMap<>();
        defaultChannels.forEach(chan -> online.put(chan, 0L));
        for (ChannelInfo info : ImHelper.getChanList()) {
            online.put(info.chan(), info.online());
        }
        List<ChannelView> views = new ArrayList<>();
        online.forEach((chan, count) -> views.add(new ChannelView(chan, count, mine.contains(chan))));
        return views;
    }

    /** {@code POST /api/join}: makes the client a member (kept while it is offline). */
    @POST
    @Path("join")
    public ChannelView join(ChannelRequest request) {
        ChannelRequest body = Inputs.body(request);
        String clientId = inputs.clientId("clientId", body.clientId());
        String chan = inputs.channel("chan", body.chan());
        ImHelper.joinChan(clientId, chan);
        return new ChannelView(chan, ImHelper.getChanOnline(chan), true);
    }

    /** {@code POST /api/leave}. */
    @POST
    @Path("leave")
    public ChannelView leave(ChannelRequest request) {
        ChannelRequest body = Inputs.body(request);
        String clientId = inputs.clientId("clientId", body.clientId());
        String chan = inputs.channel("chan", body.chan());
        ImHelper.leaveChan(clientId, chan);
        return new ChannelView(chan, ImHelper.getChanOnline(chan), false);
    }

    /** {@code POST /api/send-channel}: only a member may write to a channel (403 otherwise). */
    @POST
    @Path("send-channel")
    public Sent sendChannel(ChannelMessage message) {
        ChannelMessage body = Inputs.body(message);
        String from = inputs.clientId("from", body.from());
        String chan = inputs.channel("chan", body.chan());
        String text = inputs.text("text", body.text());
        if (!ImHelper.getChanListByClientId(from).contains(chan)) {
            throw new ForbiddenException(from + " has not joined " + chan);
        }
        return new Sent(ImHelper.sendChanMessage(from, chan, ChatData.text(text)));
    }
}
