package io.tollbooth.billing.invoice;

import io.tollbooth.billing.money.MoneyFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Builds {@link InvoiceView}s and {@link CreditNoteView}s: the one place where their numbers are formatted. */
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

    /** An operator's invoices for periods starting in {@code month}, by number (drafts last). */
    @Transactional
    public List<InvoiceView> forOperatorMonth(UUID operatorId, YearMonth month) {
        return Invoice.listForOperatorMonth(operatorId, month).stream().map(this::of).toList();
    }

    /** An operator's invoices in a status, oldest period first. */
    @Transactional
    public List<InvoiceView> forOperator(UUID operatorId, InvoiceStatus status) {
        return Invoice.listForOperator(operatorId, status).stream().map(this::of).toList();
    }

    /** The view of an invoice that is attached to the current persistence context. */
    @Transactional(Transactional.TxType.MANDATORY)
    public InvoiceView of(Invoice invoice) {
        return of(invoice, account(invoice.clientId, "invoice " + invoice.id));
    }

    /**
     * The view of an invoice. A draft takes names, addresses and terms from {@code account}; an issued invoice
     * from what finalization copied into it, so re-rendering it after a rename prints what was issued.
     */
    InvoiceView of(Invoice invoice, ClientAccount account) {
        Currency currency = invoice.currency();
        boolean draft = invoice.status == InvoiceStatus.DRAFT;
        Locale locale = draft ? account.terms().locale() : Locale.forLanguageTag(invoice.locale);
        int termsDays = draft ? account.terms().paymentTermsDays() : invoice.paymentTermsDays;
        Format format = new Format(currency, locale);
        return new InvoiceView(
                invoice.id,
                invoice.number,
                invoice.number == null ? "DRAFT" : invoice.number,
                invoice.status,
                draft ? issuer(account.operatorName(), account.operatorAddress(), account.operatorTaxId())
                        : issuer(invoice.issuerName, invoice.issuerAddress, invoice.issuerTaxId),
                draft ? billTo(account) : billTo(invoice, account),
                period(invoice.period()),
                invoice.issueDate,
                dateText(invoice.issueDate),
                invoice.dueDate,
                dateText(invoice.dueDate),
                termsDays,
                termsDays == 0 ? "Due on receipt" : "Net " + termsDays + " days",
                currency.getCurrencyCode(),
                locale.toLanguageTag(),
                invoice.lines.stream().map(line -> line(line, format)).toList(),
                format.amount(invoice.subtotal),
                invoice.taxes.stream().map(tax -> tax(tax, format)).toList(),
                format.amount(invoice.taxTotal),
                format.amount(invoice.total),
                format.amount(invoice.creditApplied),
                format.amount(invoice.amountDue),
                usageSummary(invoice.lines, format),
                CreditNote.listForInvoice(invoice.id).stream().map(note -> new InvoiceView.CreditNoteRef(note.id,
                        note.number, note.issueDate, format.amount(note.total))).toList(),
                invoice.voidReason);
    }

    /** The view of a credit note that is attached to the current persistence context. */
    @Transactional(Transactional.TxType.MANDATORY)
    public CreditNoteView of(CreditNote note) {
        Invoice invoice = Invoice.findById(note.invoiceId);
        return of(note, invoice, account(note.clientId, "credit note " + note.number));
    }

    CreditNoteView of(CreditNote note, Invoice invoice, ClientAccount account) {
        Locale locale = invoice.locale == null ? account.terms().locale() : Locale.forLanguageTag(invoice.locale);
        Format format = new Format(note.currency(), locale);
        return new CreditNoteView(note.id, note.number, invoice.id, invoice.number, note.clientId, note.issueDate,
                note.currency, note.reason,
                note.lines.stream().map(l -> new CreditNoteView.Line(l.lineNo, l.description,
                        format.amount(l.amount))).toList(),
                format.amount(note.subtotal), format.amount(note.taxTotal), format.amount(note.total));
    }

    private ClientAccount account(UUID clientId, String what) {
        return accounts.find(clientId).orElseThrow(() -> new BillingException(BillingError.CLIENT_NOT_FOUND,
                what + " names missing client " + clientId));
    }

    /** Formats the amounts of one document. */
    private record Format(Currency currency, Locale locale) {

        InvoiceView.Amount amount(BigDecimal value) {
            return new InvoiceView.Amount(value, MoneyFormat.amount(value, currency),
                    MoneyFormat.amountWithCurrency(value, currency), MoneyFormat.localized(value, currency, locale));
        }
    }

    private static InvoiceView.Issuer issuer(String name, String address, String taxId) {
        return new InvoiceView.Issuer(name, lines(address), blankToNull(taxId));
    }

    private static InvoiceView.BillTo billTo(ClientAccount account) {
        BillingTerms terms = account.terms();
        return new InvoiceView.BillTo(account.clientId(), account.clientSlug(), account.clientName(),
                blankToNull(terms.contactName()), blankToNull(terms.contactEmail()), lines(terms.billingAddress()),
                blankToNull(terms.purchaseOrder()));
    }

    private static InvoiceView.BillTo billTo(Invoice invoice, ClientAccount account) {
        return new InvoiceView.BillTo(account.clientId(), account.clientSlug(), invoice.billToName,
                blankToNull(invoice.billToContact), blankToNull(invoice.billToEmail), lines(invoice.billToAddress),
                blankToNull(invoice.purchaseOrder));
    }

    private static List<String> lines(String text) {
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String dateText(LocalDate date) {
        return date == null ? "not issued" : date.toString();
    }

    private static InvoiceView.Period period(BillingPeriod period) {
        return new InvoiceView.Period(period.startDate(), period.endDate(), period.lastDay(), period.zone().getId(),
                period.startDate() + " to " + period.lastDay());
    }

    private static InvoiceView.Line line(InvoiceLine line, Format format) {
        LineUnit unit = line.unit();
        return new InvoiceView.Line(
                line.lineNo,
                line.type,
                line.description,
                line.model,
                unit,
                unit == null ? "" : unit.label(),
                line.quantity,
                line.quantity == null ? "" : MoneyFormat.quantity(line.quantity),
                line.unitPrice,
                line.unitPrice == null ? "" : MoneyFormat.unitPrice(line.unitPrice, format.currency()),
                unit == null ? "" : unit.pricedPer(),
                line.usageDate,
                format.amount(line.amount));
    }

    private static InvoiceView.Tax tax(InvoiceTax tax, Format format) {
        String label = tax.name + " " + tax.percent.stripTrailingZeros().toPlainString() + "%";
        return new InvoiceView.Tax(tax.name, tax.percent, label, tax.reverseChargeNote,
                format.amount(tax.taxableAmount), format.amount(tax.amount));
    }

    // The period's own usage lines, per model and unit; lines of one unit at two prices are added together.
    private static List<InvoiceView.ModelUsage> usageSummary(List<InvoiceLine> lines, Format format) {
        Map<String, Map<LineUnit, long[]>> quantities = new LinkedHashMap<>();
        Map<String, Map<LineUnit, BigDecimal>> amounts = new LinkedHashMap<>();
        for (InvoiceLine line : lines) {
            if (line.type != LineType.USAGE) {
                continue;
            }
            quantities.computeIfAbsent(line.model, m -> new EnumMap<>(LineUnit.class))
                    .computeIfAbsent(line.unit(), u -> new long[1])[0] += line.quantity;
            amounts.computeIfAbsent(line.model, m -> new EnumMap<>(LineUnit.class))
                    .merge(line.unit(), line.amount, BigDecimal::add);
        }
        return quantities.entrySet().stream().map(model -> {
            Map<LineUnit, BigDecimal> modelAmounts = amounts.get(model.getKey());
            List<InvoiceView.UnitUsage> units = model.getValue().entrySet().stream()
                    .map(u -> new InvoiceView.UnitUsage(u.getKey(), u.getKey().label(), u.getValue()[0],
                            MoneyFormat.quantity(u.getValue()[0]), format.amount(modelAmounts.get(u.getKey()))))
                    .toList();
            BigDecimal total = modelAmounts.values().stream().reduce(BigDecimal::add).orElseThrow();
            return new InvoiceView.ModelUsage(model.getKey(), units, format.amount(total));
        }).toList();
    }
}
