package dev.gatehouse.guard;

import dev.gatehouse.verification.RequestFacts;
import dev.gatehouse.web.ClientAddresses;
import inet.ipaddr.IPAddress;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * A request as the verification pipeline sees it: its headers, its query, and its client as
 * {@link ClientAddresses} resolves it. For a gateway's forward-auth call the query is the original
 * request's (so a key pasted there is refused exactly as on Gatehouse's own endpoints), and the client is
 * what the gateway's X-Forwarded-For says, believed only when the gateway is a trusted proxy.
 */
public final class HttpRequestFacts implements RequestFacts {
    private final HttpServerRequest request;
    private final Iterable<Map.Entry<String, String>> query;
    private final ClientAddresses addresses;
    private IPAddress clientAddress;

    private HttpRequestFacts(HttpServerRequest request, Iterable<Map.Entry<String, String>> query, ClientAddresses addresses) {
        this.request = request;
        this.query = query;
        this.addresses = addresses;
    }

    /** A request made to Gatehouse itself. */
    public static HttpRequestFacts of(HttpServerRequest request, ClientAddresses addresses) {
        return new HttpRequestFacts(request, null, addresses);
    }

    /** A request a gateway asks about: the headers it passed on, with the original URI's query. */
    public static HttpRequestFacts forwarded(HttpServerRequest request, Iterable<Map.Entry<String, String>> originalQuery,
            ClientAddresses addresses) {
        return new HttpRequestFacts(request, originalQuery, addresses);
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public Iterable<Map.Entry<String, String>> queryParameters() {
        return query != null ? query : request.params();
    }

    @Override
    public IPAddress clientAddress() {
        if (clientAddress == null) {
            clientAddress = addresses.of(request);
        }
        return clientAddress;
    }
}
