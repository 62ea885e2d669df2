/**
 * Reconciliation for finance: each invoice traced from raw usage events through rated amounts and invoice lines to
 * the amounts Stripe holds, with every difference listed.
 */
package io.tollbooth.billing.reconciliation;
