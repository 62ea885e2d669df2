package io.tollbooth.billing.payment;

import java.util.UUID;

/**
 * What a webhook delivery did.
 *
 * @param eventId Stripe's event id, {@code evt_...}
 * @param type the event type, for example {@code payment_intent.succeeded}
 * @param duplicate true if the event had been processed before: nothing was done this time
 * @param invoiceId the invoice the event is about; null if none or a duplicate
 * @param effect what the event did; null for a duplicate
 */
public record WebhookReceipt(String eventId, String type, boolean duplicate, UUID invoiceId, PaymentEffect effect) {
}
