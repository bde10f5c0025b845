package dev.gatehouse.agent;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "agent_registration")
public class AgentRegistrationEntity extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "registration_type")
    public String registrationType;

    @Column(name = "credential_id")
    public UUID credentialId;

    @Column(name = "claim_token_hash")
    public byte[] claimTokenHash;

    @Column(name = "claim_expires_at")
    public Instant claimExpiresAt;

    public String email;

    @Column(name = "attempt_token_hash")
    public byte[] attemptTokenHash;

    @Column(name = "attempt_expires_at")
    public Instant attemptExpiresAt;

    @Column(name = "otp_hash")
    public byte[] otpHash;

    @Column(name = "otp_expires_at")
    public Instant otpExpiresAt;

    @Column(name = "otp_failures")
    public int otpFailures;

    /** Claim links this registration has mailed, to any address. */
    @Column(name = "claim_mails")
    public int claimMails;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "claimed_at")
    public Instant claimedAt;

    @Column(name = "created_at")
    public Instant createdAt;
}
