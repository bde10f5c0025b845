package dev.gatehouse.web;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy ({@link ProxyConfig}),
 * in which case the forwarding header is read from the right, skipping trusted proxies, and the first
 * address that is not one of them is the client. Reading from the right matters: a proxy appends what it
 * saw, so everything left of that is whatever the client chose to send.
 */
@ApplicationScoped
public class ClientAddresses {
    private final List<IPAddress> trustedProxies;
    private final ProxyConfig.ForwardedHeader header;
    /**
     * Socket peers already parsed: a keep-alive connection sends many requests from one address, and
     * parsing an address on every request is most of what the last pipeline step costs. Bounded by
     * forgetting everything past {@link #PEERS_REMEMBERED}.
     */
    private final Map<String, Optional<IPAddress>> peers = new ConcurrentHashMap<>();
    private static final int PEERS_REMEMBERED = 10_000;

    ClientAddresses(ProxyConfig config) {
        this.trustedProxies = config.trustedProxies().orElse(List.of()).stream().map(ClientAddresses::range).toList();
        this.header = config.forwardedHeader();
    }

    private static IPAddress range(String cidr) {
        IPAddress range = new IPAddressString(cidr.strip()).getAddress();
        if (range == null) {
            throw new IllegalArgumentException("gatehouse.proxy.trusted-proxies: '" + cidr + "' is not a CIDR range");
        }
        return range.toPrefixBlock();
    }

    /** The client's address, or null when the socket's is unknown. */
    public IPAddress of(HttpServerRequest request) {
        IPAddress peer = socketPeer(request);
        if (peer == null || !trusted(peer)) {
            return peer;
        }
        List<String> hops = header == ProxyConfig.ForwardedHeader.FORWARDED
                ? forwardedFor(request.headers().getAll("Forwarded"))
                : xForwardedFor(request.headers().getAll("X-Forwarded-For"));
        IPAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            IPAddress hop = parse(hops.get(i));
            if (hop == null) {
                // "unknown" or an obfuscated name: nothing to the left of it can be trusted either.
                return client;
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /**
     * The connection's own peer. Not {@code request.remoteAddress()}: with
     * {@code quarkus.http.proxy.proxy-address-forwarding} on, Quarkus replaces that with the leftmost
     * X-Forwarded-For entry from any peer, which is whatever the client chose to write.
     */
    private IPAddress socketPeer(HttpServerRequest request) {
        var connection = request.connection();
        var address = connection != null ? connection.remoteAddress() : request.remoteAddress();
        return address == null ? null : parsePeer(address.hostAddress());
    }

    private IPAddress parsePeer(String text) {
        if (peers.size() > PEERS_REMEMBERED) {
            peers.clear();
        }
        return peers.computeIfAbsent(text, t -> Optional.ofNullable(parse(t))).orElse(null);
    }

    /** The address as text, for rate limits and logs. */
    public String textOf(HttpServerRequest request) {
        IPAddress address = of(request);
        return address == null ? "unknown" : address.toCanonicalString();
    }

    private boolean trusted(IPAddress address) {
        for (IPAddress range : trustedProxies) {
            if (range.getIPVersion() == address.getIPVersion() && range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One address, IPv4-mapped IPv6 unwrapped, brackets and ports dropped; null if it is not one. */
    static IPAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String value = text.strip();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            value = close < 0 ? value : value.substring(1, close);
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            value = value.substring(0, value.indexOf(':')); // IPv4 with a port
        }
        IPAddress address = new IPAddressString(value).getAddress();
        if (address == null || address.isMultiple()) {
            return null;
        }
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            return address.toIPv6().getEmbeddedIPv4Address();
        }
        return address.withoutPrefixLength();
    }

    private static List<String> xForwardedFor(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String line : headers) {
            for (String hop : line.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        return hops;
    }

    /** The {@code for=} of each element of RFC 7239 headers, in order. */
    private static List<String> forwardedFor(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String line : headers) {
            for (String element : line.split(",")) {
                String found = "unknown";
                for (String pair : element.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
                        found = pair.substring(equals + 1).strip();
                        if (found.length() >= 2 && found.startsWith("\"") && found.endsWith("\"")) {
                            found = found.substring(1, found.length() - 1);
                        }
                    }
                }
                hops.add(found);
            }
        }
        return hops;
    }
}
