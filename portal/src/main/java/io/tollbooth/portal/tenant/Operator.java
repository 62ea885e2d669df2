package io.tollbooth.portal.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The MSP that runs Tollbooth and invoices its clients; every other record belongs to one operator. */
@Entity
@Table(name = "operator")
public class Operator extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Short unique name used in URLs and scripts, for example {@code acme-ai}. */
    public String slug;

    public String name;

    /** Postal address printed on invoices; optional. */
    public String address;

    /** Tax or VAT number printed on invoices; optional. */
    @Column(name = "tax_id")
    public String taxId;

    /** ISO 4217 code of the operator's home currency. */
    @Column(length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String currency;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<Operator> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }
}
