package io.tollbooth.metering.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The difference a re-rating found for a client's usage on an issued invoice, whose amounts stand: billing
 * credits a negative difference and charges a positive one on a later document.
 *
 * @param clientId the client
 * @param invoiceId the issued invoice the usage is on
 * @param events events of the invoice rated again
 * @param amountBefore their charge as invoiced, exact
 * @param amountAfter their charge with the prices now, exact
 * @param difference {@code amountAfter - amountBefore}
 * @param currency the client's currency
 * @param createdAt when the re-rating found it
 */
public record RatingAdjustment(UUID clientId, UUID invoiceId, int events, BigDecimal amountBefore,
        BigDecimal amountAfter, BigDecimal difference, String currency, Instant createdAt) {
}
