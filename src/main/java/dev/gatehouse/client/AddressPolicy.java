package dev.gatehouse.client;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.InetAddress;
import java.util.List;

/**
 * Where Gatehouse may fetch from on a client's say-so (SSRF, RFC 9728 §7.7): public unicast addresses
 * only. Loopback, private, link-local, carrier-grade NAT, documentation, multicast and reserved ranges
 * are refused, IPv4-mapped IPv6 included; so are the IPv6 ranges that carry an IPv4 address to a relay
 * or translator (IPv4-compatible {@code ::/96}, 6to4 {@code 2002::/16}, Teredo {@code 2001::/32}, NAT64
 * {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}), since where they lead depends on the embedded address.
 */
final class AddressPolicy {
    private static final List<IPAddress> BLOCKED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/96", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16",
            "fc00::/7", "fe80::/10", "ff00::/8")
            .stream().map(cidr -> new IPAddressString(cidr).getAddress()).toList();

    private AddressPolicy() {
    }

    static boolean isPublic(InetAddress address) {
        IPAddress ip = new IPAddressString(address.getHostAddress()).getAddress();
        if (ip == null) {
            return false;
        }
        if (ip.isIPv6() && ip.toIPv6().isIPv4Mapped()) {
            ip = ip.toIPv6().getEmbeddedIPv4Address();
        }
        for (IPAddress blocked : BLOCKED) {
            if (blocked.getIPVersion() == ip.getIPVersion() && blocked.contains(ip)) {
                return false;
            }
        }
        return true;
    }
}
