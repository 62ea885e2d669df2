package io.tollbooth.billing.payment;

import java.util.Set;

/**
 * The start of one push: either there is nothing to do ({@link #done()} says why), or the invoice to push with what
 * Stripe already confirmed for it.
 *
 * @param invoice the invoice as read when the push started; null if done
 * @param mode how it is collected, fixed at its first push
 * @param stripeInvoiceId the Stripe invoice Stripe confirmed earlier; null if none yet
 * @param pushedCharges the keys of the charges whose invoice items Stripe confirmed earlier
 * @param done the outcome if there is nothing to push; null otherwise
 */
record PushStart(CollectableInvoice invoice, StripeMode mode, String stripeInvoiceId, Set<String> pushedCharges,
        PushOutcome done) {

    static PushStart done(PushOutcome outcome) {
        return new PushStart(null, null, null, Set.of(), outcome);
    }

    boolean proceed() {
        return done == null;
    }
}
