package io.tollbooth.metering.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The clients' periods that have been invoiced: an issued invoice (neither a draft nor void) covers them. Usage
 * rated for such a period is late, and a re-rating of it is recorded as a difference instead of replacing amounts.
 */
final class InvoicedPeriods {

    private static final String ISSUED = "SELECT client_id, id, period_start, period_end, time_zone FROM invoice"
            + " WHERE client_id = ANY (?) AND period_end > ? AND status NOT IN ('DRAFT', 'VOID')";

    private final Map<UUID, List<Period>> byClient;

    private InvoicedPeriods(Map<UUID, List<Period>> byClient) {
        this.byClient = byClient;
    }

    /**
     * The issued invoices of the clients whose periods end after {@code after}, a day before the earliest instant
     * the caller asks about (so that no time zone can move a period's end before it).
     */
    static InvoicedPeriods load(Connection connection, Collection<UUID> clientIds, Instant after)
            throws SQLException {
        Map<UUID, List<Period>> byClient = new HashMap<>();
        if (clientIds.isEmpty()) {
            return new InvoicedPeriods(byClient);
        }
        try (PreparedStatement statement = connection.prepareStatement(ISSUED)) {
            statement.setArray(1, connection.createArrayOf("uuid", clientIds.toArray()));
            statement.setObject(2, LocalDate.ofInstant(after, ZoneId.of("UTC")).minusDays(1));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ZoneId zone = ZoneId.of(rows.getString(5));
                    Instant start = rows.getObject(3, LocalDate.class).atStartOfDay(zone).toInstant();
                    Instant end = rows.getObject(4, LocalDate.class).atStartOfDay(zone).toInstant();
                    byClient.computeIfAbsent(rows.getObject(1, UUID.class), id -> new ArrayList<>())
                            .add(new Period(rows.getObject(2, UUID.class), start, end));
                }
            }
        }
        return new InvoicedPeriods(byClient);
    }

    /** The issued invoice whose period holds {@code at} for the client, or empty while that period is open. */
    Optional<UUID> invoiceCovering(UUID clientId, Instant at) {
        return byClient.getOrDefault(clientId, List.of()).stream()
                .filter(period -> !at.isBefore(period.start()) && at.isBefore(period.end()))
                .map(Period::invoiceId)
                .findFirst();
    }

    /** An issued invoice of the client whose period shares an instant with [{@code start}, {@code end}). */
    Optional<UUID> invoiceOverlapping(UUID clientId, Instant start, Instant end) {
        return byClient.getOrDefault(clientId, List.of()).stream()
                .filter(period -> period.start().isBefore(end) && start.isBefore(period.end()))
                .map(Period::invoiceId)
                .findFirst();
    }

    private record Period(UUID invoiceId, Instant start, Instant end) {
    }
}
