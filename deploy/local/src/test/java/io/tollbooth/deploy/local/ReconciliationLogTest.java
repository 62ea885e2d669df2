package io.tollbooth.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconciliationLogTest {

    private static final String FIRST = "2026-12-04 10:00:01,100 INFO  [io.tollbooth.billing.reconciliation"
            + ".ReconcileAfterRuns] (executor-thread-1) invoice reconciled invoice=7b1e number=NW1-2026-000001"
            + " events=48 rated=0.3456789 lines=0.35 due=0.35 stripe=none currency=USD differences=0";
    private static final String SECOND = "2026-12-04 10:00:01,120 INFO  [io.tollbooth.billing.reconciliation"
            + ".ReconcileAfterRuns] (executor-thread-1) invoice reconciled invoice=9c2f number=NW1-2026-000002"
            + " events=24 rated=51.35 lines=52 due=52 stripe=none currency=JPY differences=0";

    @TempDir
    Path dir;

    @Test
    void printsEachInvoiceOfTheRunAndSaysThatNothingDiffers() throws Exception {
        Path log = Files.writeString(dir.resolve("control-plane.log"), "starting\n" + FIRST + "\n" + SECOND
                + "\n" + SECOND.replace("NW1-", "OTHER-") + "\n");

        String table = ReconciliationLog.render(log, List.of("NW1-2026-000001", "NW1-2026-000002"));

        assertThat(table.lines()).containsExactly(
                "Reconciliation: usage events -> rated -> invoice lines -> amount due -> Stripe",
                "Invoice                      Events    Rated (exact)        Lines   Amount due   Stripe  Differences",
                "NW1-2026-000001                  48    0.3456789 USD         0.35         0.35     none  none",
                "NW1-2026-000002                  24        51.35 JPY           52           52     none  none",
                "No difference: every invoice adds up from its usage events.");
    }

    @Test
    void countsTheDifferencesTheControlPlaneFound() throws Exception {
        Path log = Files.writeString(dir.resolve("control-plane.log"), FIRST.replace("differences=0",
                "differences=2") + "\n");

        String table = ReconciliationLog.render(log, List.of("NW1-2026-000001"));

        assertThat(table).contains("0.35     none  2").contains("2 differences: see the WARN lines of " + log);
    }

    @Test
    void failsWhenAnInvoiceWasNeverReconciled() throws Exception {
        Path log = Files.writeString(dir.resolve("control-plane.log"), FIRST + "\n");

        assertThatThrownBy(() -> ReconciliationLog.render(log, List.of("NW1-2026-000001", "NW1-2026-000009"),
                Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[NW1-2026-000009]");
    }
}
