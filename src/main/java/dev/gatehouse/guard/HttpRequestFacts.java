package dev.gatehouse.guard;

import dev.gatehouse.verification.RequestFacts;
import dev.gatehouse.web.ClientAddresses;
import inet.ipaddr.IPAddress;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/** A request to one of Gatehouse's own endpoints, as the verification pipeline sees it. */
final class HttpRequestFacts implements RequestFacts {
    private final HttpServerRequest request;
    private final ClientAddresses addresses;
    private IPAddress clientAddress;

    HttpRequestFacts(HttpServerRequest request, ClientAddresses addresses) {
        this.request = request;
        this.addresses = addresses;
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public Iterable<Map.Entry<String, String>> queryParameters() {
        return request.params();
    }

    @Override
    public IPAddress clientAddress() {
        if (clientAddress == null) {
            clientAddress = addresses.of(request);
        }
        return clientAddress;
    }
}
