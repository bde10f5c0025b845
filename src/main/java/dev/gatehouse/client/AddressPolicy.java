package dev.gatehouse.client;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.InetAddress;
import java.util.List;

/**
 * Where Gatehouse may fetch from on a client's say-so (SSRF, RFC 9728 §7.7): public unicast addresses
 * only. Loopback, private, link-local, carrier-grade NAT, documentation, multicast and reserved ranges
 * are refused, IPv4-mapped IPv6 included.
 */
final class AddressPolicy {
    private static final List<IPAddress> BLOCKED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "64:ff9b::/96", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8")
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
