package io.tollbooth.metering.ingest;

/** A batch of usage that was refused as a whole; nothing of it was stored. The admin API answers it with 400. */
public class IngestionException extends RuntimeException {

    public IngestionException(String message) {
        super(message);
    }
}
