package dev.gatehouse.client;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves the host of a URL Gatehouse fetches on a client's say-so, once: the addresses answered are the
 * ones checked and the ones connected to. The system's resolver unless a test supplies another.
 */
public interface HostResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    @ApplicationScoped
    class SystemResolver {
        @Produces
        @DefaultBean
        @ApplicationScoped
        HostResolver systemResolver() {
            return host -> List.of(InetAddress.getAllByName(host));
        }
    }
}
