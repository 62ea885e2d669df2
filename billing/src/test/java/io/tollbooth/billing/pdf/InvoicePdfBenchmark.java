package io.tollbooth.billing.pdf;

import com.lowagie.text.pdf.PdfReader;
import io.tollbooth.billing.invoice.InvoiceStatus;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.LineType;
import io.tollbooth.billing.invoice.LineUnit;
import io.tollbooth.billing.money.CurrencyRounding;
import io.tollbooth.billing.money.MoneyFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures how many invoices per second {@link InvoicePdfRenderer} renders: a finalized invoice of 50 lines (25
 * models, input and output each) with one tax rate, billed once to a Latin-script and once to a Japanese client
 * name. Each thread renders into a discarding stream, as a run that streams PDFs to storage would.
 *
 * <p>Besides invoices per second (wall clock, which other work on a shared machine lowers), it reports the CPU time
 * the rendering threads spent per invoice, which that other work hardly changes: on an otherwise idle machine with
 * {@code n} cores the rate approaches {@code n × 1000 / cpu ms}.
 *
 * <p>Run by {@code docs/benchmarks/billing/run}, which passes: warm-up seconds, seconds per round, rounds, the
 * thread counts to try (comma separated) and, optionally, the client names to try (comma separated). Prints a
 * Markdown report.
 */
public final class InvoicePdfBenchmark {

    private static final Currency USD = Currency.getInstance("USD");
    private static final int MODELS = 25;

    private InvoicePdfBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmupSeconds = Integer.parseInt(args[0]);
        int roundSeconds = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int[] threadCounts = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        InvoicePdfRenderer renderer = new InvoicePdfRenderer();

        System.out.println("| client name | threads | round | invoices/s | ms per invoice and thread | CPU ms per"
                + " invoice | heap after round (MiB) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        List<String> summary = new ArrayList<>();
        List<String> clientNames = args.length > 4 ? List.of(args[4].split(",")) : List.of("Müller GmbH", "株式会社テスト");
        for (String clientName : clientNames) {
            InvoiceView invoice = invoice(clientName);
            byte[] sample = renderer.render(invoice);
            describe(clientName, sample);
            measure(renderer, invoice, Math.max(threadCounts[threadCounts.length - 1], 1), warmupSeconds);
            for (int threads : threadCounts) {
                double[] perSecond = new double[rounds];
                double[] cpuMs = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    Result result = measure(renderer, invoice, threads, roundSeconds);
                    perSecond[round] = result.perSecond();
                    cpuMs[round] = result.cpuMsPerInvoice();
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.2f | %.2f | %d |%n", clientName,
                            threads, round + 1, perSecond[round], 1000.0 * threads / perSecond[round], cpuMs[round],
                            heapAfterGcMib());
                }
                Arrays.sort(perSecond);
                Arrays.sort(cpuMs);
                summary.add(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.2f |", clientName,
                        threads, perSecond[0], perSecond[rounds / 2], perSecond[rounds - 1], cpuMs[rounds / 2]));
            }
        }
        System.out.println();
        System.out.println("| client name | threads | invoices/s min | median | max | CPU ms per invoice, median |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        summary.forEach(System.out::println);
    }

    /** Invoices per second (wall clock) and CPU milliseconds of the rendering threads per invoice. */
    private record Result(double perSecond, double cpuMsPerInvoice) {
    }

    /** Renders the invoice on {@code threads} threads for {@code seconds}. */
    private static Result measure(InvoicePdfRenderer renderer, InvoiceView invoice, int threads, int seconds)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try {
            List<Future<long[]>> counts = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                counts.add(pool.submit(() -> {
                    long cpuBefore = cpu.getCurrentThreadCpuTime();
                    long rendered = 0;
                    while (!stop.get()) {
                        renderer.render(invoice, OutputStream.nullOutputStream());
                        rendered++;
                    }
                    return new long[] {rendered, cpu.getCurrentThreadCpuTime() - cpuBefore};
                }));
            }
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            long total = 0;
            long cpuNanos = 0;
            for (Future<long[]> count : counts) {
                total += count.get()[0];
                cpuNanos += count.get()[1];
            }
            return new Result(total / ((System.nanoTime() - started) / 1e9), cpuNanos / 1e6 / total);
        } finally {
            pool.shutdown();
        }
    }

    private static void describe(String clientName, byte[] pdf) throws IOException {
        PdfReader reader = new PdfReader(pdf);
        try {
            System.err.printf(Locale.ROOT, "[bench] %s: %d pages, %d bytes%n", clientName, reader.getNumberOfPages(),
                    pdf.length);
        } finally {
            reader.close();
        }
    }

    private static long heapAfterGcMib() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
    }

    /** A finalized USD invoice of 25 models, input and output each, with 19 % VAT. */
    static InvoiceView invoice(String clientName) {
        List<InvoiceView.Line> lines = new ArrayList<>();
        List<InvoiceView.ModelUsage> summary = new ArrayList<>();
        BigDecimal subtotal = BigDecimal.ZERO.setScale(2);
        for (int m = 1; m <= MODELS; m++) {
            String model = String.format(Locale.ROOT, "model-%02d", m);
            InvoiceView.Line input = line(lines.size() + 1, model, LineUnit.INPUT, 1_000_000L * m, "2.50");
            InvoiceView.Line output = line(lines.size() + 2, model, LineUnit.OUTPUT, 250_000L * m, "10.00");
            lines.add(input);
            lines.add(output);
            BigDecimal modelAmount = input.amount().value().add(output.amount().value());
            summary.add(new InvoiceView.ModelUsage(model, List.of(unit(input), unit(output)), amount(modelAmount)));
            subtotal = subtotal.add(modelAmount);
        }
        BigDecimal tax = CurrencyRounding.percentOf(subtotal, new BigDecimal("19"), USD);
        BigDecimal total = subtotal.add(tax);
        BigDecimal zero = BigDecimal.ZERO.setScale(2);
        LocalDate issued = LocalDate.of(2026, 6, 1);
        return new InvoiceView(UUID.randomUUID(), "ACME-2026-000042", "ACME-2026-000042", InvoiceStatus.FINALIZED,
                new InvoiceView.Issuer("Acme AI Services", List.of("1 Main Street", "Springfield 12345"),
                        "US-99-1234567"),
                new InvoiceView.BillTo(UUID.randomUUID(), "client", clientName, "Accounts payable",
                        "ap@example.com", List.of("Königstraße 1", "70173 Stuttgart"), "PO-2026-17"),
                new InvoiceView.Period(LocalDate.of(2026, 5, 1), issued, LocalDate.of(2026, 5, 31), "Europe/Berlin",
                        "2026-05-01 to 2026-05-31"),
                issued, issued.toString(), issued.plusDays(30), issued.plusDays(30).toString(), 30, "Net 30 days",
                "USD", "en-US", lines, amount(subtotal),
                List.of(new InvoiceView.Tax("VAT", new BigDecimal("19"), "VAT 19%", null, amount(subtotal),
                        amount(tax))),
                amount(tax), amount(total), amount(zero), amount(total), summary, List.of(), null);
    }

    private static InvoiceView.Line line(int lineNo, String model, LineUnit unit, long tokens, String perMillion) {
        BigDecimal price = new BigDecimal(perMillion);
        BigDecimal amount = CurrencyRounding.toMinorUnit(price.multiply(BigDecimal.valueOf(tokens))
                .movePointLeft(6), USD);
        return new InvoiceView.Line(lineNo, LineType.USAGE, unit.describe(model), model, unit, unit.label(), tokens,
                MoneyFormat.quantity(tokens), price, MoneyFormat.unitPrice(price, USD), unit.pricedPer(), null,
                amount(amount));
    }

    private static InvoiceView.UnitUsage unit(InvoiceView.Line line) {
        return new InvoiceView.UnitUsage(line.unit(), line.unitLabel(), line.quantity(), line.quantityText(),
                line.amount());
    }

    private static InvoiceView.Amount amount(BigDecimal value) {
        return new InvoiceView.Amount(value, MoneyFormat.amount(value, USD),
                MoneyFormat.amountWithCurrency(value, USD), MoneyFormat.localized(value, USD, Locale.US));
    }
}
