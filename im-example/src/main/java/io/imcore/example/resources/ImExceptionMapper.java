package io.imcore.example.resources;

import io.dropwizard.jersey.errors.ErrorMessage;
import io.imcore.client.ImConnectionException;
import io.imcore.client.ImException;
import io.imcore.client.ImInvalidArgumentException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ImHelper's exceptions as HTTP: an invalid argument is the caller's 400, an unreachable Redis is 503, anything
 * else 500; always Dropwizard's {@code {"code":…,"message":…}}.
 */
public final class ImExceptionMapper implements ExceptionMapper<ImException> {
    private static final Logger LOG = LoggerFactory.getLogger(ImExceptionMapper.class);

    @Override
    public Response toResponse(ImException exception) {
        int status;
        String message;
        if (exception instanceof ImInvalidArgumentException) {
            status = 400;
            message = exception.getMessage();
        } else if (exception instanceof ImConnectionException) {
            LOG.warn("Redis unreachable: {}", exception.toString());
            status = 503;
            message = "the push service's Redis is unreachable; try again";
        } else {
            LOG.error("ImHelper failed", exception);
            status = 500;
            message = "the push service failed";
        }
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(status, message))
                .build();
    }
}
