package dev.gatehouse.testing;

import dev.gatehouse.client.HostResolver;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The host resolver in tests: {@value #DOCUMENTS_HOST} is 127.0.0.1 (the metadata document server), a name
 * the system's resolver does not know. A fetch that resolved the name again itself, instead of connecting
 * to the address Gatehouse checked, would fail on it.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestHosts implements HostResolver {
    public static final String DOCUMENTS_HOST = "documents.gatehouse.test";

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        if (DOCUMENTS_HOST.equals(host)) {
            return List.of(InetAddress.getByAddress(DOCUMENTS_HOST, new byte[] {127, 0, 0, 1}));
        }
        return List.of(InetAddress.getAllByName(host));
    }
}
