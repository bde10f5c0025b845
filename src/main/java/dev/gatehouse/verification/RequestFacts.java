package dev.gatehouse.verification;

import inet.ipaddr.IPAddress;
import java.util.Map;

/**
 * What the pipeline needs to know of a request, whichever way it came in: an endpoint of Gatehouse's
 * own, a gateway's forward-auth call (where these describe the original request), or the verify API.
 */
public interface RequestFacts {
    /** The value of a request header, or null. */
    String header(String name);

    /** Every query parameter as (name, value) pairs, a name once per value (only to refuse credentials sent there). */
    Iterable<Map.Entry<String, String>> queryParameters();

    /** The client's address as the trusted-proxy settings resolve it; null when unknown. */
    IPAddress clientAddress();
}
