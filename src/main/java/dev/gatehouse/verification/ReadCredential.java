package dev.gatehouse.verification;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Step 1: the credential, from the accepted headers only; one of them, never the query. */
@ApplicationScoped
class ReadCredential implements VerificationStep {
    private final CredentialReader reader;

    ReadCredential(CredentialReader reader) {
        this.reader = reader;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        if (context.presented() != null) {
            return PASS; // handed over directly, as introspection does
        }
        return switch (reader.read(context.request())) {
            case PresentedCredential.Token token -> {
                context.presented = token.value();
                yield PASS;
            }
            case PresentedCredential.None none -> refuse(VerificationCode.MISSING, "No credential was sent");
            case PresentedCredential.InQuery inQuery -> refuse(VerificationCode.IN_QUERY,
                    "API keys must be sent in the " + reader.apiKeyHeaders() + " header, never in the URL query");
            case PresentedCredential.Conflicting conflicting -> refuse(VerificationCode.CONFLICTING,
                    "Send one credential in one header, not different ones in several");
            case PresentedCredential.WrongHeader wrong -> refuse(VerificationCode.WRONG_HEADER,
                    "This credential must be sent in the " + wrong.expected() + " header");
        };
    }

    private static Optional<Verification> refuse(VerificationCode code, String message) {
        return Optional.of(Verification.refused(code, message));
    }
}
