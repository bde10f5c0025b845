package dev.gatehouse.admin;

import dev.gatehouse.token.TokenHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import java.security.MessageDigest;

/**
 * Who may call {@code /admin/*}: the holder of {@code gatehouse.admin.token}, as a Bearer token. Without a
 * configured token, or with a wrong one, the admin endpoints look absent (404): they do not advertise themselves.
 */
@ApplicationScoped
public class OperatorGuard {
    private final byte[] tokenHash;

    OperatorGuard(AdminConfig config) {
        this.tokenHash = config.token().map(token -> TokenHash.of(token).bytes()).orElse(null);
    }

    /** Returns if the request carries the operator's token; otherwise throws 404. */
    public void require(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        // Compared as hashes, in constant time.
        if (tokenHash == null || authorization == null || !authorization.startsWith("Bearer ")
                || !MessageDigest.isEqual(tokenHash, TokenHash.of(authorization.substring(7).strip()).bytes())) {
            throw new NotFoundException();
        }
    }
}
