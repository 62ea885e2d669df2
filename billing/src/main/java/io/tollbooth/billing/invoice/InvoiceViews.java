package io.tollbooth.billing.invoice;

import io.tollbooth.billing.money.MoneyFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Builds {@link InvoiceView}s: the one place where an invoice's numbers are formatted. */
@ApplicationScoped
public class InvoiceViews {

    private final ClientAccounts accounts;

    InvoiceViews(ClientAccounts accounts) {
        this.accounts = accounts;
    }

    /** The invoice with this id, if there is one. */
    @Transactional
    public Optional<InvoiceView> find(UUID invoiceId) {
        return Invoice.<Invoice>findByIdOptional(invoiceId).map(this::of);
    }

    /** An operator's invoices for periods starting on the first day of {@code month}, by number. */
    @Transactional
    public List<InvoiceView> forOperatorMonth(UUID operatorId, YearMonth month) {
        return Invoice.listForOperatorMonth(operatorId, month).stream().map(this::of).toList();
    }

    /** The view of an invoice that is attached to the current persistence context. */
    @Transactional(Transactional.TxType.MANDATORY)
    public InvoiceView of(Invoice invoice) {
        ClientAccount account = accounts.find(invoice.clientId).orElseThrow(() -> new BillingException(
                BillingError.CLIENT_NOT_FOUND, "invoice " + invoice.id + " names missing client " + invoice.clientId));
        return of(invoice, account);
    }

    /**
     * The view of an invoice, with names and addresses from {@code account}.
     *
     * <p>TODO(#5): names and addresses are read when the view is built, so re-rendering a finalized invoice after
     * the client or operator is renamed prints the new name; finalization should snapshot the bill-to and issuer.
     */
    InvoiceView of(Invoice invoice, ClientAccount account) {
        Currency currency = invoice.currency();
        LocalDate issueDate = invoice.finalizedAt == null ? null : invoice.finalizedAt.atZone(invoice.zone())
                .toLocalDate();
        return new InvoiceView(
                invoice.id,
                invoice.number,
                invoice.number == null ? "DRAFT" : invoice.number,
                invoice.status,
                issuer(account),
                new InvoiceView.BillTo(account.clientId(), account.clientSlug(), account.clientName()),
                period(invoice.period()),
                issueDate,
                issueDate == null ? "not issued" : issueDate.toString(),
                currency.getCurrencyCode(),
                invoice.lines.stream().map(line -> line(line, currency)).toList(),
                amount(invoice.subtotal, currency),
                amount(invoice.total, currency));
    }

    private static InvoiceView.Issuer issuer(ClientAccount account) {
        String address = account.operatorAddress();
        List<String> addressLines = address == null || address.isBlank() ? List.of()
                : Arrays.stream(address.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        String taxId = account.operatorTaxId() == null || account.operatorTaxId().isBlank() ? null
                : account.operatorTaxId().strip();
        return new InvoiceView.Issuer(account.operatorName(), addressLines, taxId);
    }

    private static InvoiceView.Period period(BillingPeriod period) {
        return new InvoiceView.Period(period.startDate(), period.endDate(), period.lastDay(), period.zone().getId(),
                period.startDate() + " to " + period.lastDay());
    }

    private static InvoiceView.Line line(InvoiceLine line, Currency currency) {
        return new InvoiceView.Line(
                line.lineNo,
                line.model,
                line.kind(),
                line.kind().label(),
                line.quantity,
                MoneyFormat.quantity(line.quantity),
                line.pricePerMillion,
                MoneyFormat.unitPrice(line.pricePerMillion, currency),
                amount(line.amount, currency));
    }

    private static InvoiceView.Amount amount(BigDecimal value, Currency currency) {
        return new InvoiceView.Amount(value, MoneyFormat.amount(value, currency),
                MoneyFormat.amountWithCurrency(value, currency));
    }
}
