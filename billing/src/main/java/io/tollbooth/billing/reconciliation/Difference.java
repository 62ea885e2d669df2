package io.tollbooth.billing.reconciliation;

/**
 * One disagreement between two stages of billing.
 *
 * @param stage where it was found
 * @param subject what disagrees, for people: "line 2 (gpt-4o output at 10.00)", "subtotal"
 * @param expected what the earlier stage says, as a plain decimal or count
 * @param actual what the later stage holds; "missing" if it holds nothing
 */
public record Difference(Stage stage, String subject, String expected, String actual) {
}
