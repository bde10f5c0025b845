package dev.gatehouse.account;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

@RegisterForReflection
public record AccountView(UUID id, String email) {
    static AccountView of(Account account) {
        return new AccountView(account.id(), account.email());
    }
}
