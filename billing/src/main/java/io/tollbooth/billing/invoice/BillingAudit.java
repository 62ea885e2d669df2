package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The audit trail of invoices and credit notes (table {@code billing_audit}): every transition, who made it, when,
 * from which status to which, and why. Written in the transaction of the transition, so a transition that rolls
 * back leaves no entry and one that commits always has one.
 */
@ApplicationScoped
public class BillingAudit {

    /** The actor of transitions that billing makes on its own, such as a scheduled invoice run. */
    public static final String SYSTEM = "system";

    private final AgroalDataSource dataSource;
    private final Clock clock;

    BillingAudit(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** What an audit entry is about. */
    public enum Entity {
        INVOICE,
        CREDIT_NOTE
    }

    /**
     * One transition.
     *
     * @param entity invoice or credit note
     * @param entityId its id
     * @param from the status before; null when the record was created
     * @param to the status after
     * @param actor who made the change: an admin, or {@link #SYSTEM}
     * @param reason why, for people; null if none was given
     * @param at when, as the billing clock said
     */
    public record Entry(Entity entity, UUID entityId, String from, String to, String actor, String reason,
            Instant at) {
    }

    /** Records a transition in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Entity entity, UUID entityId, String from, String to, String actor, String reason) {
        Sql.update(dataSource, """
                INSERT INTO billing_audit (entity, entity_id, from_status, to_status, actor, reason, occurred_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", entity.name(), entityId, from, to, actor, reason, clock.instant());
    }

    /** The transitions of an invoice or credit note, oldest first. */
    public List<Entry> history(UUID entityId) {
        return Sql.query(dataSource, """
                SELECT entity, entity_id, from_status, to_status, actor, reason, occurred_at
                  FROM billing_audit WHERE entity_id = ? ORDER BY id""", rs -> new Entry(
                Entity.valueOf(rs.getString(1)), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant()), entityId);
    }
}
