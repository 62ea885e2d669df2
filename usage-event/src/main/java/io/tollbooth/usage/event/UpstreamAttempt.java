package io.tollbooth.usage.event;

import java.util.Objects;

/**
 * One upstream call the gateway made for a logical request, when it made more than one (a fallback to another
 * backend). Only the request's last attempt can have produced the billed tokens; the others are listed so reports
 * can count upstream calls apart from the client's requests.
 *
 * @param backend name of the backend called
 * @param httpStatus the status it answered with, or 0 when it could not be reached or did not answer
 * @param outcome for the last attempt {@code answered} (its answer, whatever its status, went to the caller) or
 *     {@code failed}; for each earlier one why the next backend was tried: {@code backend_status} (5xx or 429
 *     before any byte), {@code backend_unavailable} or {@code backend_timeout}
 */
public record UpstreamAttempt(String backend, int httpStatus, String outcome) {

    public UpstreamAttempt {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(outcome, "outcome");
    }
}
