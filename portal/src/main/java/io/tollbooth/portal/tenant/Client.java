package io.tollbooth.portal.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant of an operator: a company whose requests are metered and invoiced in its own currency and zone. */
@Entity
@Table(name = "client")
public class Client extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "operator_id")
    public UUID operatorId;

    /** Short name, unique within the operator. */
    public String slug;

    public String name;

    /** ISO 4217 code the client is invoiced in; equal to the currency of its price plan. */
    @Column(length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String currency;

    /** IANA zone in which the client's billing months start and end, for example {@code Europe/Berlin}. */
    @Column(name = "time_zone")
    public String timeZone;

    @Column(name = "price_plan_id")
    public UUID pricePlanId;

    @Column(name = "created_at")
    public Instant createdAt;

    public ZoneId zoneId() {
        return ZoneId.of(timeZone);
    }

    public static Optional<Client> findBySlug(UUID operatorId, String slug) {
        return find("operatorId = ?1 and slug = ?2", operatorId, slug).firstResultOptional();
    }

    /** The operator's clients, oldest first, so that invoice runs process them in a stable order. */
    public static List<Client> listByOperator(UUID operatorId) {
        return list("operatorId = ?1 order by createdAt, id", operatorId);
    }
}
