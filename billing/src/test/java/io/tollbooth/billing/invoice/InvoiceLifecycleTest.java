package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.Invoicing;
import io.tollbooth.billing.TestClock;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drafts become numbered, immutable invoices; issued ones may be voided; every step is audited. */
@QuarkusTest
class InvoiceLifecycleTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final YearMonth JUNE = YearMonth.of(2026, 6);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";

    @Inject
    Invoicing invoicing;

    @Inject
    InvoiceLifecycle lifecycle;

    @Inject
    BillingAccounts billingAccounts;

    @Inject
    CreditBalance credit;

    @Inject
    BillingAudit audit;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Operator acme;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        clock.set("2026-06-02T09:00:00Z");
        acme = fixtures.operator("acme", "Acme AI Services", "1 Main Street", "US-99-1234567");
    }

    @Test
    void numbersAnInvoiceWhenItIsFinalizedNotWhenItIsDrafted() {
        Client alpha = usdClient("alpha");
        Client beta = usdClient("beta");
        InvoiceView alphaDraft = invoicing.draft(alpha, MAY);
        InvoiceView betaDraft = invoicing.draft(beta, MAY);

        InvoiceView beta1 = lifecycle.finalizeInvoice(betaDraft.id(), Invoicing.ACTOR);
        InvoiceView alpha2 = lifecycle.finalizeInvoice(alphaDraft.id(), Invoicing.ACTOR);

        assertThat(List.of(beta1.number(), alpha2.number())).containsExactly("ACME-2026-000001", "ACME-2026-000002");
        assertThat(alpha2.status()).isEqualTo(InvoiceStatus.FINALIZED);
        assertThat(alpha2.issueDate()).isEqualTo(LocalDate.of(2026, 6, 2));
    }

    @Test
    void numbersInvoicesWithoutGapsAcrossClientsAndRefusals() {
        Client alpha = usdClient("alpha");
        Client beta = usdClient("beta");
        fixtures.unpriced(beta, "mystery-model", "2026-06-10T00:00:00Z", 1);
        clock.set("2026-07-01T00:00:00Z");

        String alphaMay = invoicing.issue(alpha, MAY).number();
        String betaMay = invoicing.issue(beta, MAY).number();
        assertThatThrownBy(() -> invoicing.issue(beta, JUNE)).isInstanceOf(BillingException.class);
        String alphaJune = invoicing.issue(alpha, JUNE).number();

        assertThat(List.of(alphaMay, betaMay, alphaJune))
                .containsExactly("ACME-2026-000001", "ACME-2026-000002", "ACME-2026-000003");
    }

    @Test
    void numbersEachOperatorFromOne() {
        invoicing.issue(usdClient("alpha"), MAY);
        Operator globex = fixtures.operator("globex", "Globex Inference");
        Client globexClient = fixtures.client(globex, "alpha", "Alpha at Globex", "USD", "UTC");

        assertThat(invoicing.issue(globexClient, MAY).number()).isEqualTo("GLOBEX-2026-000001");
    }

    @Test
    void concurrentFinalizationsNumberEveryInvoiceOnceAndWithoutGaps() throws Exception {
        List<UUID> drafts = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            drafts.add(invoicing.draft(usdClient("client-" + i), MAY).id());
        }
        // Every draft is finalized twice at once, by two callers racing each other and the other drafts.
        List<UUID> requests = new ArrayList<>(drafts);
        requests.addAll(drafts);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<InvoiceView>> futures = new ArrayList<>();
            for (UUID id : requests) {
                Callable<InvoiceView> finalize = () -> {
                    start.await();
                    return lifecycle.finalizeInvoice(id, Invoicing.ACTOR);
                };
                futures.add(pool.submit(finalize));
            }
            start.countDown();
            List<String> numbers = new ArrayList<>();
            for (Future<InvoiceView> future : futures) {
                numbers.add(future.get().number());
            }

            assertThat(numbers.stream().distinct().sorted()).containsExactly("ACME-2026-000001",
                    "ACME-2026-000002", "ACME-2026-000003", "ACME-2026-000004", "ACME-2026-000005",
                    "ACME-2026-000006");
            for (int i = 0; i < drafts.size(); i++) {
                assertThat(numbers.get(i + drafts.size())).isEqualTo(numbers.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void finalizingAgainChangesNothing() {
        InvoiceView first = invoicing.issue(usdClient("alpha"), MAY);
        clock.set("2026-06-09T09:00:00Z");

        InvoiceView again = lifecycle.finalizeInvoice(first.id(), "someone-else");

        assertThat(again).isEqualTo(first);
        assertThat(audit.history(first.id())).hasSize(2);
    }

    @Test
    void setsTheDueDateFromThePaymentTermsAndKeepsWhatWasIssuedAfterTheClientChanges() {
        Client client = usdClient("alpha");
        billingAccounts.update(client.id(), new BillingTerms(1, 14, Locale.US, "Accounts Payable", "ap@alpha.test",
                "2 Side Road\nGotham", "PO-7781", null, List.of()));
        InvoiceView issued = invoicing.issue(client, MAY);

        billingAccounts.update(client.id(), new BillingTerms(1, 45, Locale.GERMANY, "Someone Else", null, null,
                "PO-9999", null, List.of()));
        fixtures.renameClient(client, "Alpha Renamed Inc");

        assertThat(issued.dueDate()).isEqualTo(LocalDate.of(2026, 6, 16));
        assertThat(issued.termsText()).isEqualTo("Net 14 days");
        assertThat(lifecycle.finalizeInvoice(issued.id(), Invoicing.ACTOR)).satisfies(reread -> {
            assertThat(reread.billTo().name()).isEqualTo("Client alpha");
            assertThat(reread.billTo().purchaseOrder()).isEqualTo("PO-7781");
            assertThat(reread.billTo().contactName()).isEqualTo("Accounts Payable");
            assertThat(reread.billTo().addressLines()).containsExactly("2 Side Road", "Gotham");
            assertThat(reread.dueDate()).isEqualTo(LocalDate.of(2026, 6, 16));
            assertThat(reread.locale()).isEqualTo("en-US");
        });
    }

    @Test
    void regeneratesADraftWithWhatChangedSinceItWasMade() {
        Client client = usdClient("alpha");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 2, Tokens.input(1_000_000));
        InvoiceView draft = invoicing.draft(client, MAY);
        fixtures.rated(client, "gpt-4o", "2026-05-20T00:00:00Z", 2, Tokens.input(1_000_000));
        billingAccounts.update(client.id(), BillingTerms.DEFAULTS.withTaxRates(
                List.of(new TaxRate("Sales tax", new BigDecimal("8.5"), null))));

        InvoiceView regenerated = lifecycle.regenerate(draft.id(), Invoicing.ACTOR);

        assertThat(regenerated.id()).isEqualTo(draft.id());
        assertThat(draft.total().text()).isEqualTo("5.00");
        assertThat(List.of(regenerated.subtotal().text(), regenerated.taxTotal().text(), regenerated.total().text()))
                .containsExactly("10.00", "0.85", "10.85");
        assertThat(fixtures.count("invoice_line")).isEqualTo(1);
    }

    @Test
    void refusesToRegenerateAnIssuedInvoice() {
        InvoiceView issued = invoicing.issue(usdClient("alpha"), MAY);

        assertThatThrownBy(() -> lifecycle.regenerate(issued.id(), Invoicing.ACTOR))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVALID_TRANSITION))
                .hasMessage("invoice ACME-2026-000001 is FINALIZED and cannot be regenerated");
    }

    @Test
    void voidsAnIssuedInvoiceKeepingItsNumberAndGivingItsCreditBack() {
        Client client = usdClient("alpha");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 2, Tokens.input(1_000_000));
        credit.addPrepaid(client.id(), new BigDecimal("3.00"), null, Invoicing.ACTOR);
        InvoiceView issued = invoicing.issue(client, MAY);
        clock.set("2026-06-03T10:00:00Z");

        InvoiceView voided = lifecycle.voidInvoice(issued.id(), "finance-lead", "billed to the wrong entity");

        assertThat(issued.creditApplied().text()).isEqualTo("3.00");
        assertThat(voided.status()).isEqualTo(InvoiceStatus.VOID);
        assertThat(voided.number()).isEqualTo("ACME-2026-000001");
        assertThat(voided.voidReason()).isEqualTo("billed to the wrong entity");
        assertThat(credit.of(client.id(), Currency.getInstance("USD"))).isEqualTo(new BigDecimal("3.00"));
        assertThatThrownBy(() -> lifecycle.voidInvoice(issued.id(), "finance-lead", "again"))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVALID_TRANSITION));
    }

    @Test
    void refusesToVoidADraft() {
        InvoiceView draft = invoicing.draft(usdClient("alpha"), MAY);

        assertThatThrownBy(() -> lifecycle.voidInvoice(draft.id(), Invoicing.ACTOR, "no"))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVALID_TRANSITION))
                .hasMessage("draft " + draft.id() + " is DRAFT and cannot be voided");
    }

    @Test
    void auditsEveryTransitionWithWhoWhenFromToAndWhy() {
        InvoiceView draft = invoicing.draft(usdClient("alpha"), MAY);
        clock.set("2026-06-02T10:00:00Z");
        lifecycle.regenerate(draft.id(), "ops-anna");
        clock.set("2026-06-02T11:00:00Z");
        lifecycle.finalizeInvoice(draft.id(), "ops-anna");
        clock.set("2026-06-05T08:30:00Z");
        lifecycle.voidInvoice(draft.id(), "finance-ben", "duplicate of a manual invoice");

        assertThat(audit.history(draft.id())).extracting(BillingAudit.Entry::from, BillingAudit.Entry::to,
                BillingAudit.Entry::actor, BillingAudit.Entry::reason, BillingAudit.Entry::at)
                .containsExactly(
                        tuple(null, "DRAFT", Invoicing.ACTOR, "period closed", Instant.parse("2026-06-02T09:00:00Z")),
                        tuple("DRAFT", "DRAFT", "ops-anna", "regenerated", Instant.parse("2026-06-02T10:00:00Z")),
                        tuple("DRAFT", "FINALIZED", "ops-anna", null, Instant.parse("2026-06-02T11:00:00Z")),
                        tuple("FINALIZED", "VOID", "finance-ben", "duplicate of a manual invoice",
                                Instant.parse("2026-06-05T08:30:00Z")));
    }

    @Test
    void refusesAnUnknownInvoice() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> lifecycle.finalizeInvoice(unknown, Invoicing.ACTOR))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVOICE_NOT_FOUND));
    }

    private Client usdClient(String slug) {
        return fixtures.client(acme, slug, "Client " + slug, "USD", "UTC");
    }
}
