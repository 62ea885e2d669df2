package io.tollbooth.portal.apikey;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A client's API key as stored: its visible prefix and SHA-256 hash, never the key itself. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "client_id")
    public UUID clientId;

    /** A label chosen by the operator, for example {@code production}. */
    public String name;

    /** The first {@value ApiKeyGenerator#PREFIX_LENGTH} characters of the key, safe to show and to log. */
    public String prefix;

    /** SHA-256 of the key's UTF-8 bytes; the gateway finds keys by this hash. */
    @Column(name = "key_hash")
    public byte[] keyHash;

    @Column(name = "created_at")
    public Instant createdAt;

    /** When the key stops working; null for a key that does not expire. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** When the key was revoked; null while it is active. */
    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The client's keys, oldest first (by name when created at the same instant). */
    public static List<ApiKey> listByClient(UUID clientId) {
        return list("clientId = ?1 order by createdAt, name, id", clientId);
    }
}
