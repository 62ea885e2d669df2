package io.tollbooth.portal.access;

import io.tollbooth.billing.export.UsageCsvExporter;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.InvoiceViews;
import io.tollbooth.portal.apikey.ApiKey;
import io.tollbooth.portal.tenant.Client;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one way the control plane reads a client's records by id: each lookup is filtered by the caller's
 * {@link ClientScope}, so a record of a client the caller may not see is absent, exactly as if it did not exist
 * (the API answers 404 either way and reveals nothing).
 */
@RequestScoped
public class ScopedRecords {

    @Inject
    Caller caller;

    @Inject
    InvoiceViews invoices;

    @Inject
    EntityManager entityManager;

    @Inject
    UsageCsvExporter usageExporter;

    /** A client's usage export, to be written when the response is sent. */
    @FunctionalInterface
    public interface UsageCsv {

        /** Writes the CSV and flushes the writer; returns the rows written. */
        long writeTo(Writer out) throws IOException;
    }

    /** The caller's scope, for queries that filter by it themselves. */
    public ClientScope scope() {
        return caller.scope();
    }

    /** The client, if it exists and the caller may see it. */
    public Optional<Client> client(UUID id) {
        if (!scope().includes(id)) {
            return Optional.empty();
        }
        return Client.findByIdOptional(id);
    }

    /** The API key, if it exists and belongs to a client the caller may see. */
    public Optional<ApiKey> apiKey(UUID id) {
        return ApiKey.<ApiKey>findByIdOptional(id).filter(key -> scope().includes(key.clientId));
    }

    /** The invoice, if it exists and bills a client the caller may see. */
    public Optional<InvoiceView> invoice(UUID id) {
        return invoices.find(id).filter(invoice -> scope().includes(invoice.billTo().clientId()));
    }

    /** The client's invoices, latest period first; none for a client the caller may not see. */
    @SuppressWarnings("unchecked")
    public List<InvoiceView> invoicesOf(UUID clientId) {
        if (!scope().includes(clientId)) {
            return List.of();
        }
        List<UUID> ids = entityManager.createNativeQuery(
                        "SELECT id FROM invoice WHERE client_id = ?1 ORDER BY period_start DESC")
                .setParameter(1, clientId).getResultList();
        return ids.stream().map(invoices::find).flatMap(Optional::stream).toList();
    }

    /**
     * The client's rated usage of the days {@code from} to {@code to} (inclusive, in the client's zone) as CSV, if the
     * caller may see the client; empty otherwise, as for a client that does not exist.
     */
    public Optional<UsageCsv> usageCsv(UUID clientId, LocalDate from, LocalDate to) {
        if (!scope().includes(clientId)) {
            return Optional.empty();
        }
        return Optional.of(out -> usageExporter.writeClientDays(clientId, from, to, out));
    }
}
