package io.tollbooth.portal.operations;

import io.tollbooth.metering.ledger.Rerating;
import io.tollbooth.metering.ledger.UnpricedUsage;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.tenant.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the operator's audit log and unpriced-usage pages and routes read: billing's audit trail, metering's waits. */
@ApplicationScoped
public class OperatorRecords {

    // Transitions of the operator's invoices and credit notes in a month (UTC), newest first, with their numbers.
    private static final String AUDIT = """
            SELECT a.occurred_at, a.entity, coalesce(i.number, n.number), c.name, a.from_status, a.to_status,
                   a.actor, a.reason
              FROM billing_audit a
              LEFT JOIN invoice i ON a.entity = 'INVOICE' AND i.id = a.entity_id
              LEFT JOIN credit_note n ON a.entity = 'CREDIT_NOTE' AND n.id = a.entity_id
              JOIN client c ON c.id = coalesce(i.client_id, n.client_id)
             WHERE c.operator_id = ?1 AND a.occurred_at >= ?2 AND a.occurred_at < ?3
             ORDER BY a.occurred_at DESC, a.id DESC
            """;

    @Inject
    EntityManager entityManager;

    @Inject
    Rerating rerating;

    /**
     * One change of an invoice or credit note.
     *
     * @param number the invoice or credit note number; null for a draft
     * @param from the status before; null when the record was created
     * @param reason why, as given; null if none
     */
    public record AuditEntry(Instant at, String entity, String number, String client, String from, String to,
            String actor, String reason) {
    }

    /** The operator's invoice and credit note changes made in {@code month} (UTC), newest first; 404 without it. */
    @SuppressWarnings("unchecked")
    public List<AuditEntry> audit(UUID operatorId, YearMonth month) {
        operator(operatorId);
        List<Object[]> rows = entityManager.createNativeQuery(AUDIT)
                .setParameter(1, operatorId)
                .setParameter(2, month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .setParameter(3, month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .getResultList();
        return rows.stream().map(row -> new AuditEntry(instant(row[0]), (String) row[1], (String) row[2],
                (String) row[3], (String) row[4], (String) row[5], (String) row[6], (String) row[7])).toList();
    }

    /**
     * A client's usage of one model that waits for a price.
     *
     * @param client the client's short name
     */
    public record Unpriced(UUID clientId, String client, String model, long events, Instant first, Instant last,
            String reason) {
    }

    /** The operator's usage waiting for a price, per client and model; 404 without the operator. */
    public List<Unpriced> unpriced(UUID operatorId) {
        operator(operatorId);
        Map<UUID, Client> clients = Client.listByOperator(operatorId).stream()
                .collect(Collectors.toMap(client -> client.id, Function.identity()));
        try {
            List<UnpricedUsage> usage = rerating.unpriced(operatorId);
            return usage.stream().map(u -> new Unpriced(u.clientId(), clients.containsKey(u.clientId())
                    ? clients.get(u.clientId()).slug : u.clientId().toString(), u.model(), u.events(), u.first(),
                    u.last(), u.reason())).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("reading unpriced usage failed: " + e.getMessage(), e);
        }
    }

    private static void operator(UUID operatorId) {
        Operator.<Operator>findByIdOptional(operatorId)
                .orElseThrow(() -> AdminException.notFound("operator", operatorId));
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime time ? time.toInstant() : (Instant) value;
    }
}
