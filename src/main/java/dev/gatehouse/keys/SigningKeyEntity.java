package dev.gatehouse.keys;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "signing_key")
public class SigningKeyEntity extends PanacheEntityBase {
    @Id
    public String kid;

    public String alg;

    @Column(name = "public_jwk")
    public String publicJwk;

    @Column(name = "private_jwe")
    public String privateJwe;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "activates_at")
    public Instant activatesAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "expires_at")
    public Instant expiresAt;
}
