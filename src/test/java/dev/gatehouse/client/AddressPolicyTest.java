package dev.gatehouse.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard for client metadata documents: only public unicast addresses are fetched from. */
class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        // Issue 10 finding 12: IPv4-compatible, 6to4 and Teredo addresses passed the check.
        "::127.0.0.1", "::8.8.8.8", "2002:7f00:1::1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b:1::a00:1"})
    void privateLoopbackAndReservedAddressesAreRefused(String address) throws Exception {
        assertFalse(AddressPolicy.isPublic(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertTrue(AddressPolicy.isPublic(InetAddress.getByName(address)), address);
    }
}
