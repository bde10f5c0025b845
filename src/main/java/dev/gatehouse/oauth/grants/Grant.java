package dev.gatehouse.oauth.grants;

import dev.gatehouse.client.Client;
import dev.gatehouse.oauth.IssuedTokens;
import jakarta.ws.rs.core.MultivaluedMap;

/** One grant type of the token endpoint (RFC 6749 §4). The client is already authenticated. */
public interface Grant {
    String grantType();

    IssuedTokens exchange(Client client, MultivaluedMap<String, String> form);
}
