package dev.gatehouse.passkey;

import dev.gatehouse.db.Sql;
import io.quarkus.security.webauthn.WebAuthnCredentialRecord;
import io.quarkus.security.webauthn.WebAuthnUserProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The passkeys people registered (table {@code passkey}), and what the WebAuthn extension reads of them to verify
 * an assertion. The extension's "username" is the account's email (what a passkey picker shows); the account a
 * passkey opens is its row's, never a name.
 */
@ApplicationScoped
public class PasskeyStore implements WebAuthnUserProvider {
    /** A person's passkey, as their security page lists it. */
    public record Passkey(String credentialId, UUID accountId, String label, Instant createdAt, Instant lastUsedAt) {
    }

    private static final String COLUMNS = "credential_id, account_id, label, created_at, last_used_at";

    private final Sql sql;

    PasskeyStore(Sql sql) {
        this.sql = sql;
    }

    /** A person's passkeys, oldest first. */
    public List<Passkey> of(UUID accountId) {
        return sql.list("select " + COLUMNS + " from passkey where account_id = ? order by created_at", PasskeyStore::read, accountId);
    }

    public Optional<Passkey> find(String credentialId) {
        return sql.one("select " + COLUMNS + " from passkey where credential_id = ?", PasskeyStore::read, credentialId);
    }

    /** Keeps a verified registration for {@code accountId}; false when that credential is registered already. */
    boolean add(UUID accountId, WebAuthnCredentialRecord credential, String label, Instant at) {
        WebAuthnCredentialRecord.RequiredPersistedData data = credential.getRequiredPersistedData();
        return sql.update("insert into passkey (credential_id, account_id, public_key, public_key_algorithm, aaguid, signature_counter,"
                + " label, created_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing", data.credentialId(), accountId,
                data.publicKey(), data.publicKeyAlgorithm(), data.aaguid(), data.counter(), label, at) == 1;
    }

    /**
     * After a verified assertion: its signature counter, and when; false when the counter did not go up (W3C
     * WebAuthn §6.1.1: a clone, or the same answer twice). Authenticators that count nothing (synced passkeys) say 0.
     */
    boolean used(String credentialId, long counter, Instant at) {
        return sql.update("update passkey set signature_counter = ?, last_used_at = ? where credential_id = ?"
                + " and (signature_counter < ? or (? = 0 and signature_counter = 0))", counter, at, credentialId, counter, counter) == 1;
    }

    /** Removes one of the person's passkeys; false when it is not theirs. */
    boolean remove(UUID accountId, String credentialId) {
        return sql.update("delete from passkey where credential_id = ? and account_id = ?", credentialId, accountId) == 1;
    }

    /** Removes every passkey of an account, in the caller's transaction; how many. */
    int removeAll(UUID accountId) {
        return sql.update("delete from passkey where account_id = ?", accountId);
    }

    // --- what the extension reads --------------------------------------------------------------------------------

    @Override
    public Uni<List<WebAuthnCredentialRecord>> findByUsername(String email) {
        return Uni.createFrom().item(sql.list("select " + RECORD + " from passkey p join account a on a.id = p.account_id where a.email = ?",
                PasskeyStore::record, email));
    }

    @Override
    public Uni<WebAuthnCredentialRecord> findByCredentialId(String credentialId) {
        Optional<WebAuthnCredentialRecord> found = sql.one("select " + RECORD + " from passkey p join account a on a.id = p.account_id"
                + " where p.credential_id = ?", PasskeyStore::record, credentialId);
        return found.map(record -> Uni.createFrom().item(record))
                .orElseGet(() -> Uni.createFrom().failure(new IllegalArgumentException("no such passkey")));
    }

    private static final String RECORD = "p.credential_id, a.email, p.public_key, p.public_key_algorithm, p.aaguid, p.signature_counter";

    private static WebAuthnCredentialRecord record(java.sql.ResultSet row) throws java.sql.SQLException {
        return WebAuthnCredentialRecord.fromRequiredPersistedData(new WebAuthnCredentialRecord.RequiredPersistedData(
                row.getString("email"), row.getString("credential_id"), row.getObject("aaguid", UUID.class),
                row.getBytes("public_key"), row.getLong("public_key_algorithm"), row.getLong("signature_counter")));
    }

    private static Passkey read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Passkey(row.getString("credential_id"), row.getObject("account_id", UUID.class), row.getString("label"),
                Sql.instant(row, "created_at"), Sql.instant(row, "last_used_at"));
    }

}
