package io.imcore.service.auth;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.TokenPayload;
import io.imcore.protocol.Tokens;
import redis.clients.jedis.UnifiedJedis;

/** Consumes one-time connect tokens written by {@code prevConnectServer} (PROTOCOL.md section 2). */
public final class TokenStore {
    private final UnifiedJedis redis;
    private final Keys keys;

    public TokenStore(UnifiedJedis redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * Takes the token atomically ({@code GETDEL}): it works once, whatever happens next.
     *
     * @throws InvalidTokenException for a missing, malformed, unknown, expired, used or corrupt token
     */
    public TokenPayload consume(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("missing token");
        }
        if (!Tokens.isWellFormed(token)) {
            throw new InvalidTokenException("malformed token");
        }
        String json = redis.getDel(keys.token(token));
        if (json == null) {
            throw new InvalidTokenException("unknown, expired or already used token");
        }
        try {
            return Codec.decodeToken(json);
        } catch (ProtocolException e) {
            throw new InvalidTokenException("invalid token value: " + e.getMessage());
        }
    }
}
