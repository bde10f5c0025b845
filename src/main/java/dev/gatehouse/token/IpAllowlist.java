package dev.gatehouse.token;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The CIDR ranges a credential may be used from (seed 000's per-token IP allowlist). Empty means
 * anywhere. Ranges are parsed by the ipaddress library into prefix blocks: {@code 10.1.2.3/8} is kept as
 * {@code 10.0.0.0/8} and a bare address as a block of one, so what is shown is exactly what is checked.
 */
public final class IpAllowlist {
    public static final IpAllowlist ANYWHERE = new IpAllowlist(List.of());
    /** Each range is checked on every request; more than this is a mistake, not a policy. */
    public static final int MAX_RANGES = 64;

    /**
     * Addresses and prefixes in their usual notation only: no host names, no wildcards or ranges
     * ({@code 1.2.*.*}, {@code 1.2.3.4-9}), no masks, no inet_aton shorthands ({@code 10.1}), so a typo
     * is refused instead of silently meaning something else.
     */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowMask(false).allowPrefixOnly(false)
            .allow_inet_aton(false).allowWildcardedSeparator(false).setRangeOptions(RangeParameters.NO_RANGE)
            .toParams();

    private final List<IPAddress> ranges;

    private IpAllowlist(List<IPAddress> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Parses CIDR ranges or bare addresses, IPv4 or IPv6; throws {@link InvalidRange} naming the first bad one. */
    public static IpAllowlist parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return ANYWHERE;
        }
        if (entries.size() > MAX_RANGES) {
            throw new InvalidRange("an IP allowlist holds at most " + MAX_RANGES + " ranges");
        }
        LinkedHashSet<IPAddress> parsed = new LinkedHashSet<>();
        for (String entry : entries) {
            parsed.add(parseOne(entry));
        }
        return new IpAllowlist(List.copyOf(parsed));
    }

    private static IPAddress parseOne(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new InvalidRange("an empty entry is not a CIDR range");
        }
        String text = entry.strip();
        if (text.length() > 50 || text.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new InvalidRange("an IP allowlist entry must be a CIDR range such as 203.0.113.0/24 or 2001:db8::/32");
        }
        try {
            IPAddress address = new IPAddressString(text, STRICT).toAddress();
            return address.toPrefixBlock();
        } catch (AddressStringException | RuntimeException e) {
            throw new InvalidRange("'" + text + "' is not a CIDR range (for example 203.0.113.0/24 or 2001:db8::/32)");
        }
    }

    public boolean isAnywhere() {
        return ranges.isEmpty();
    }

    /** True when {@code client} lies in one of the ranges, or when there are none. */
    public boolean permits(IPAddress client) {
        if (ranges.isEmpty()) {
            return true;
        }
        if (client == null) {
            return false;
        }
        for (IPAddress range : ranges) {
            if (range.getIPVersion() == client.getIPVersion() && range.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** The ranges in canonical CIDR form, as stored and shown. */
    public List<String> cidrs() {
        return ranges.stream().map(IPAddress::toCanonicalString).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAllowlist other && ranges.equals(other.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return cidrs().toString();
    }

    /** An entry that is not a CIDR range or a bare address. */
    public static final class InvalidRange extends IllegalArgumentException {
        InvalidRange(String message) {
            super(message, null);
        }
    }
}
