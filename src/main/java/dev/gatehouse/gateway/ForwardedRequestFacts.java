package dev.gatehouse.gateway;

import dev.gatehouse.verification.RequestFacts;
import dev.gatehouse.web.ClientAddresses;
import inet.ipaddr.IPAddress;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * The original request behind a gateway's forward-auth call: its headers are the ones the gateway passed
 * through (the credential among them), its query is the original URI's (so a key pasted there is refused
 * exactly as on Gatehouse's own endpoints), and its client is what {@link ClientAddresses} makes of the
 * gateway's X-Forwarded-For, believed only when the gateway is a trusted proxy.
 */
final class ForwardedRequestFacts implements RequestFacts {
    private final HttpServerRequest request;
    private final RequestPath original;
    private final ClientAddresses addresses;
    private IPAddress clientAddress;

    ForwardedRequestFacts(HttpServerRequest request, RequestPath original, ClientAddresses addresses) {
        this.request = request;
        this.original = original;
        this.addresses = addresses;
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public Iterable<Map.Entry<String, String>> queryParameters() {
        return original.query();
    }

    @Override
    public IPAddress clientAddress() {
        if (clientAddress == null) {
            clientAddress = addresses.of(request);
        }
        return clientAddress;
    }
}
