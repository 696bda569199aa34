package io.imcore.example.resources;

import io.imcore.client.ImHelper;
import io.imcore.example.api.FileSent;
import io.imcore.example.core.ChatData;
import io.imcore.example.core.FileStore;
import io.imcore.example.core.FileStore.StoredFile;
import io.imcore.example.core.FileTooLargeException;
import io.imcore.example.core.Inputs;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The original's file-transfer notices: A uploads a file for B to the business side; B is told "transferring"
 * when the upload starts and "done" with a link when it is stored (or "failed").
 */
@Path("/files")
public final class FileResource {
    private static final Pattern FILE_ID = Pattern.compile("[0-9a-f-]{36}");

    private final Inputs inputs;
    private final FileStore store;

    public FileResource(Inputs inputs, FileStore store) {
        this.inputs = inputs;
        this.store = store;
    }

    /**
     * {@code POST /api/files?from=…&to=…&name=…} with the file's bytes as the body (any content type). Answers
     * with the id of the "done" notice, which the sender gets a receipt for.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public FileSent upload(
            @QueryParam("from") String fromParam,
            @QueryParam("to") String toParam,
            @QueryParam("name") String nameParam,
            @HeaderParam("Content-Length") Long length,
            @Context UriInfo uri,
            InputStream body)
            throws IOException {
        String from;
        String to;
        String name;
        try {
            from = inputs.clientId("from", fromParam);
            to = inputs.clientId("to", toParam);
            name = inputs.fileName("name", nameParam);
            if (length != null && length > store.maxSize()) {
                throw new FileTooLargeException(store.maxSize());
            }
        } catch (WebApplicationException e) {
            throw closingConnection(e);
        }
        String fileId = FileStore.newId();
        long announced = length == null ? -1 : length;
        ImHelper.sendMessage(from, List.of(to), ChatData.file("transferring", fileId, name, announced, null), false);
        StoredFile file;
        try {
            file = store.save(fileId, name, body);
        } catch (IOException | RuntimeException e) {
            ImHelper.sendMessage(from, List.of(to), ChatData.file("failed", fileId, name, announced, null), false);
            throw e;
        }
        String url = uri.getBaseUriBuilder()
                .path(FileResource.class)
                .path(fileId)
                .build()
                .toString();
        String id =
                ImHelper.sendMessage(from, List.of(to), ChatData.file("done", fileId, name, file.size(), url), true);
        return new FileSent(id, fileId, name, file.size(), url);
    }

    /**
     * A refusal sent before the body was read ends the connection: the unread body would otherwise be parsed as
     * the next request, or the server closes the connection under a client that is about to reuse it.
     */
    private static WebApplicationException closingConnection(WebApplicationException refusal) {
        Response response = Response.fromResponse(refusal.getResponse())
                .header("Connection", "close")
                .build();
        return new WebApplicationException(refusal.getMessage(), refusal, response);
    }

    /** {@code GET /api/files/{fileId}}: the file, always as a download (never rendered by the browser). */
    @GET
    @Path("{fileId}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response download(@PathParam("fileId") String fileId) {
        if (!FILE_ID.matcher(fileId).matches()) {
            throw new NotFoundException("no such file");
        }
        StoredFile file = store.find(fileId).orElseThrow(() -> new NotFoundException("no such file"));
        String encoded = URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20");
        return Response.ok(file.path().toFile(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename*=UTF-8''" + encoded)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
