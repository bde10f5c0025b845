package dev.gatehouse.agent;

import dev.gatehouse.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code agent_registration}, changed in place by {@link AgentRegistrations} under the row lock
 * and written back with {@link #update}.
 */
public class AgentRegistrationRow {
    public String id;

    public String registrationType;

    public UUID credentialId;

    public byte[] claimTokenHash;

    public Instant claimExpiresAt;

    public String email;

    public byte[] attemptTokenHash;

    public Instant attemptExpiresAt;

    public byte[] otpHash;

    public Instant otpExpiresAt;

    public int otpFailures;

    /** Claim links this registration has mailed, to any address. */
    public int claimMails;

    public UUID accountId;

    public Instant claimedAt;

    public Instant createdAt;

    static final String COLUMNS = "id, registration_type, credential_id, claim_token_hash, claim_expires_at, email, attempt_token_hash, attempt_expires_at, otp_hash, otp_expires_at, otp_failures, claim_mails, account_id, claimed_at, created_at";

    void insert(Sql sql) {
        sql.update("insert into agent_registration (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, registrationType, credentialId, claimTokenHash, claimExpiresAt, email, attemptTokenHash, attemptExpiresAt, otpHash, otpExpiresAt, otpFailures, claimMails, accountId, claimedAt, createdAt);
    }

    /** Writes every changed-in-place column back. */
    void update(Sql sql) {
        sql.update("update agent_registration set registration_type = ?, credential_id = ?, claim_token_hash = ?, claim_expires_at = ?, email = ?, attempt_token_hash = ?, attempt_expires_at = ?, otp_hash = ?, otp_expires_at = ?, otp_failures = ?, claim_mails = ?, account_id = ?, claimed_at = ?, created_at = ? where id = ?", registrationType, credentialId, claimTokenHash, claimExpiresAt, email, attemptTokenHash, attemptExpiresAt, otpHash, otpExpiresAt, otpFailures, claimMails, accountId, claimedAt, createdAt, id);
    }

    static AgentRegistrationRow read(ResultSet row) throws SQLException {
        AgentRegistrationRow registration = new AgentRegistrationRow();
        registration.id = row.getString("id");
        registration.registrationType = row.getString("registration_type");
        registration.credentialId = row.getObject("credential_id", UUID.class);
        registration.claimTokenHash = row.getBytes("claim_token_hash");
        registration.claimExpiresAt = Sql.instant(row, "claim_expires_at");
        registration.email = row.getString("email");
        registration.attemptTokenHash = row.getBytes("attempt_token_hash");
        registration.attemptExpiresAt = Sql.instant(row, "attempt_expires_at");
        registration.otpHash = row.getBytes("otp_hash");
        registration.otpExpiresAt = Sql.instant(row, "otp_expires_at");
        registration.otpFailures = row.getInt("otp_failures");
        registration.claimMails = row.getInt("claim_mails");
        registration.accountId = row.getObject("account_id", UUID.class);
        registration.claimedAt = Sql.instant(row, "claimed_at");
        registration.createdAt = Sql.instant(row, "created_at");
        return registration;
    }
}
