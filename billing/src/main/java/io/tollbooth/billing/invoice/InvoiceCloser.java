package io.tollbooth.billing.invoice;

import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Closes a client's calendar month into a finalized, numbered invoice.
 *
 * <p>Each invoice line sums the full-precision rated amounts of one model, token kind and unit price and rounds
 * that sum once to the currency's minor unit ({@link CurrencyRounding}); rated amounts are never rounded one by
 * one. The subtotal is the sum of the rounded lines and the total equals it until tax and credits arrive (#5).
 *
 * <p>TODO(#5): usage of a closed period that metering stores after the close (a late or redelivered event) is on
 * no invoice; issue 5's late-usage adjustments must carry it into the next open period.
 */
@ApplicationScoped
public class InvoiceCloser {

    private static final Logger LOG = Logger.getLogger(InvoiceCloser.class);

    private final ClientAccounts accounts;
    private final RatedUsageTotals usage;
    private final InvoiceNumbers numbers;
    private final InvoiceViews views;
    private final Clock clock;

    InvoiceCloser(ClientAccounts accounts, RatedUsageTotals usage, InvoiceNumbers numbers, InvoiceViews views,
            Clock clock) {
        this.accounts = accounts;
        this.usage = usage;
        this.numbers = numbers;
        this.views = views;
        this.clock = clock;
    }

    /**
     * Closes a client's month into an invoice, in one transaction.
     *
     * <p>Idempotent: if the month was closed before, the existing invoice is returned and nothing is written,
     * also when two closes of the same client run at once (the second waits for the first and finds its invoice).
     *
     * @param clientId the client to bill
     * @param month the calendar month in the client's time zone
     * @param closeEarly close the current month before it has ended in the client's zone (demos and tests);
     *     usage that arrives later in the month is then not on this invoice. A month that has not begun is
     *     refused either way
     * @return the month's invoice, and whether this call created it
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND}, {@link BillingError#PERIOD_NOT_ENDED},
     *     {@link BillingError#UNPRICED_USAGE} or {@link BillingError#CURRENCY_MISMATCH}; nothing is written then
     */
    @Transactional
    public ClosedInvoice closeMonth(UUID clientId, YearMonth month, boolean closeEarly) {
        // The lock makes concurrent closes of this client queue here, so the check below sees any invoice
        // the one before created; UNIQUE(client_id, period_start) backs this up.
        ClientAccount account = accounts.lockForClosing(clientId);
        BillingPeriod period = BillingPeriod.of(month, account.zone());

        Optional<Invoice> existing = Invoice.findForPeriod(clientId, period.startDate());
        if (existing.isPresent()) {
            LOG.debugf("invoice already closed client=%s period=%s invoice=%s", account.clientSlug(), period,
                    existing.get().number);
            return new ClosedInvoice(views.of(existing.get(), account), false);
        }

        Instant now = clock.instant();
        refuseUnlessEnded(account, period, now, closeEarly);
        refuseUnpricedUsage(account, period);

        List<LineTotal> totals = usage.lineTotals(clientId, period);
        refuseForeignCurrency(account, period, totals);

        Invoice invoice = draft(account, period, totals, now);
        finalizeInvoice(invoice, account, now);
        invoice.persist();

        LOG.infof("invoice finalized invoice=%s client=%s period=%s lines=%d total=%s currency=%s early=%s",
                invoice.number, account.clientSlug(), period, invoice.lines.size(), invoice.total.toPlainString(),
                invoice.currency, !period.hasEndedAt(now));
        return new ClosedInvoice(views.of(invoice, account), true);
    }

    private static void refuseUnlessEnded(ClientAccount account, BillingPeriod period, Instant now,
            boolean closeEarly) {
        // Even an early close needs the month to have begun: an empty invoice for a future month would
        // stand in the way of its real close.
        if (now.isBefore(period.start())) {
            throw new BillingException(BillingError.PERIOD_NOT_ENDED, "period " + period + " of client "
                    + account.clientSlug() + " has not started yet; it begins at " + period.start());
        }
        if (!closeEarly && !period.hasEndedAt(now)) {
            throw new BillingException(BillingError.PERIOD_NOT_ENDED, "period " + period + " of client "
                    + account.clientSlug() + " ends at " + period.end() + " and cannot be closed before then"
                    + " unless closing early is asked for explicitly");
        }
    }

    private void refuseUnpricedUsage(ClientAccount account, BillingPeriod period) {
        List<RatedUsageTotals.UnpricedUsage> unpriced = usage.unpriced(account.clientId(), period);
        if (!unpriced.isEmpty()) {
            String perModel = unpriced.stream().map(u -> u.model() + " (" + u.events() + " events)")
                    .collect(Collectors.joining(", "));
            throw new BillingException(BillingError.UNPRICED_USAGE, "period " + period + " of client "
                    + account.clientSlug() + " has usage that could not be priced: " + perModel
                    + "; add the missing prices and re-rate the usage before closing");
        }
    }

    private static void refuseForeignCurrency(ClientAccount account, BillingPeriod period, List<LineTotal> totals) {
        Currency expected = account.currency();
        totals.stream().filter(t -> !t.currency().equals(expected)).findFirst().ifPresent(t -> {
            throw new BillingException(BillingError.CURRENCY_MISMATCH, "period " + period + " of client "
                    + account.clientSlug() + " has " + t.model() + " " + t.kind().code() + " usage rated in "
                    + t.currency() + " but the client is billed in " + expected);
        });
    }

    private static Invoice draft(ClientAccount account, BillingPeriod period, List<LineTotal> totals, Instant now) {
        Currency currency = account.currency();
        Invoice invoice = new Invoice();
        invoice.id = UUID.randomUUID();
        invoice.operatorId = account.operatorId();
        invoice.clientId = account.clientId();
        invoice.status = InvoiceStatus.DRAFT;
        invoice.periodStart = period.startDate();
        invoice.periodEnd = period.endDate();
        invoice.timeZone = period.zone().getId();
        invoice.currency = currency.getCurrencyCode();
        invoice.createdAt = now;

        BigDecimal subtotal = CurrencyRounding.toMinorUnit(BigDecimal.ZERO, currency);
        for (LineTotal total : totals) {
            InvoiceLine line = line(total, currency);
            invoice.addLine(line);
            subtotal = subtotal.add(line.amount);
        }
        invoice.subtotal = subtotal;
        // TODO(#5): minimum-commitment true-up, late usage adjustments, credits and tax come between these.
        invoice.total = subtotal;
        return invoice;
    }

    private static InvoiceLine line(LineTotal total, Currency currency) {
        InvoiceLine line = new InvoiceLine();
        line.model = total.model();
        line.tokenKind = total.kind().code();
        line.description = total.model() + " " + total.kind().label().toLowerCase(Locale.ROOT) + " tokens";
        line.quantity = total.quantity();
        line.pricePerMillion = total.pricePerMillion();
        // The one rounding of this line: the sum of full-precision amounts, never the amounts one by one.
        line.amount = CurrencyRounding.toMinorUnit(total.fullPrecisionAmount(), currency);
        line.currency = currency.getCurrencyCode();
        return line;
    }

    private void finalizeInvoice(Invoice invoice, ClientAccount account, Instant now) {
        invoice.number = numbers.next(account.operatorId(), account.operatorSlug(),
                now.atZone(account.zone()).toLocalDate());
        invoice.status = InvoiceStatus.FINALIZED;
        invoice.finalizedAt = now;
    }
}
