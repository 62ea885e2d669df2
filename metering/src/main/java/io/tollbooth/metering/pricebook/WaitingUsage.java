package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.ledger.Correction;
import io.tollbooth.metering.ledger.RatingAuditEntry;
import java.sql.SQLException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Rates the usage that waited for a price right after a price book changed. The change itself is committed by then
 * and stands even if this fails: the waiting events keep waiting and are rated by the next change or by an
 * operator's re-rating.
 */
final class WaitingUsage {

    private static final Logger LOG = Logger.getLogger(WaitingUsage.class);

    private WaitingUsage() {
    }

    static Correction correction(Change change) {
        return new Correction(change.actor(), change.at(), "prices changed; rating usage that waited for a price");
    }

    static void rate(Run run, String scope) {
        try {
            List<RatingAuditEntry> audit = run.run();
            int events = audit.stream().mapToInt(entry -> entry.events() - entry.unpricedAfter()).sum();
            if (events > 0) {
                LOG.infof("waiting usage rated after a price change: %s events=%d", scope, events);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf(e, "waiting usage not rated after a price change; it keeps waiting: %s", scope);
        }
    }

    @FunctionalInterface
    interface Run {
        List<RatingAuditEntry> run() throws SQLException;
    }
}
