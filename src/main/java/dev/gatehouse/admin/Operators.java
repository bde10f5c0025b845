package dev.gatehouse.admin;

import dev.gatehouse.account.Accounts;
import dev.gatehouse.scope.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Who operates this deployment ({@code gatehouse.admin.operators}), and the scope only they are granted. */
@ApplicationScoped
public class Operators {
    private final Set<String> emails;
    private final Accounts accounts;

    Operators(AdminConfig config, Accounts accounts) {
        this.accounts = accounts;
        this.emails = config.operators().orElse(List.of()).stream().map(Accounts::normalizeEmail)
                .filter(email -> !email.isBlank()).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether anyone may be granted {@code gatehouse:admin} (the dashboard is allowed to ask for it only then). */
    public boolean any() {
        return !emails.isEmpty();
    }

    public boolean isOperator(UUID accountId) {
        return accountId != null && !emails.isEmpty()
                && accounts.find(accountId).map(account -> emails.contains(account.email())).orElse(false);
    }

    /** {@code scopes} as granted to this person: {@code gatehouse:admin} only for an operator (RFC 6749 §3.3 lets a server grant less). */
    public List<String> grantable(List<String> scopes, UUID accountId) {
        return scopes.contains(ScopeCatalogue.ADMIN) && !isOperator(accountId)
                ? scopes.stream().filter(scope -> !ScopeCatalogue.ADMIN.equals(scope)).toList()
                : scopes;
    }
}
