package io.tollbooth.metering.pricebook;

import java.util.List;

/** A change to a price book that was refused; nothing of it was written. */
public class PriceBookException extends RuntimeException {

    private final PriceBookError error;
    private final List<OutOfLinePrice> outOfLine;

    public PriceBookException(PriceBookError error, String message) {
        this(error, message, List.of());
    }

    public PriceBookException(PriceBookError error, String message, List<OutOfLinePrice> outOfLine) {
        super(message);
        this.error = error;
        this.outOfLine = List.copyOf(outOfLine);
    }

    public PriceBookError error() {
        return error;
    }

    /** The prices that need confirming, for {@link PriceBookError#UNCONFIRMED_PRICE_CHANGE}; empty otherwise. */
    public List<OutOfLinePrice> outOfLine() {
        return outOfLine;
    }
}
