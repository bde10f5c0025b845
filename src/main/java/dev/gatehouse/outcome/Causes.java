package dev.gatehouse.outcome;

/** What a failure was caused by, however it was wrapped. */
public final class Causes {
    private Causes() {
    }

    /**
     * Walks the causes and what was suppressed along the way: a transaction manager that fails to commit
     * because the connection died throws a rollback whose reason is only a suppressed XAException.
     */
    public static boolean any(Throwable failure, java.util.function.Predicate<Throwable> test) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> next = new java.util.ArrayDeque<>();
        if (failure != null) {
            next.add(failure);
        }
        while (!next.isEmpty() && seen.size() < 64) {
            Throwable cause = next.poll();
            if (!seen.add(cause)) {
                continue;
            }
            if (test.test(cause)) {
                return true;
            }
            if (cause.getCause() != null) {
                next.add(cause.getCause());
            }
            next.addAll(java.util.List.of(cause.getSuppressed()));
        }
        return false;
    }
}
