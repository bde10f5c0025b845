package dev.gatehouse.verification;

import dev.gatehouse.client.Clients;
import dev.gatehouse.token.TokenKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Step 7: where a person must act, an OAuth token must come from a first-party client and name a person. */
@ApplicationScoped
class CheckClient implements VerificationStep {
    private final Clients clients;

    CheckClient(Clients clients) {
        this.clients = clients;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        var token = context.token();
        if (!context.policy().firstPartyOnly() || token.kind() != TokenKind.ACCESS) {
            return PASS;
        }
        boolean firstParty = token.clientId() != null
                && clients.find(token.clientId()).map(client -> client.firstParty()).orElse(false);
        if (token.accountId() != null && firstParty) {
            return PASS;
        }
        return Optional.of(new Verification(VerificationCode.CLIENT_NOT_ALLOWED, token,
                "Managing API keys needs a first-party token with the scope " + context.policy().scope(), context.policy().scope()));
    }
}
