package io.tollbooth.billing.export;

/**
 * Makes text cells safe to open in a spreadsheet: a cell that starts with {@code =}, {@code +}, {@code -},
 * {@code @}, a tab or a carriage return would run as a formula, so it gets a leading apostrophe and reads as
 * text. Numbers written by the exports are never passed through here: they cannot start that way unless
 * negative, and an apostrophe would stop them adding up.
 */
final class CsvCells {

    private CsvCells() {
    }

    /** The text, made inert if a spreadsheet would read it as a formula; null stays null (an empty cell). */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        return formula ? "'" + value : value;
    }
}
