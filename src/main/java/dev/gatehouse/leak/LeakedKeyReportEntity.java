package dev.gatehouse.leak;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One reported occurrence of a credential we issued; the credential itself is never stored here. */
@Entity
@Table(name = "leaked_key_report")
public class LeakedKeyReportEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "token_id", nullable = false, updatable = false)
    public UUID tokenId;

    @Column(name = "token_type", nullable = false)
    public String tokenType;

    public String source;

    public String url;

    @Column(name = "revoked_by_report", nullable = false)
    public boolean revokedByReport;

    @Column(name = "reported_at", nullable = false)
    public Instant reportedAt;
}
