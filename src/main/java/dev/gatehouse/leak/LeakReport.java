package dev.gatehouse.leak;

/**
 * One match in a secret scanning report (specs.md §10.2): the token GitHub found, the secret type it was
 * enrolled under, where it was found ({@code url} may be empty) and what kind of place that is.
 */
record LeakReport(String token, String type, String url, String source) {
    @Override
    public String toString() {
        // Never print the token: it is a live credential until we revoke it.
        return "LeakReport[type=" + type + ", source=" + source + ", url=" + url + "]";
    }
}
