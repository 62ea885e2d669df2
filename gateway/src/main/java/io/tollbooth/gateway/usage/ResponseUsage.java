package io.tollbooth.gateway.usage;

/**
 * What a backend's answer said about usage. Read once the request is over, on the recorder's thread, so the
 * reading costs the event loop nothing.
 */
public interface ResponseUsage {

    /** The backend refused or failed before answering: nothing was served and nothing is billed. */
    ResponseUsage NOTHING_SERVED = new Unanswered();

    /**
     * The caller left before the backend answered, which may already have read the prompt: the prompt is
     * estimated and billed.
     */
    ResponseUsage CALLER_LEFT_BEFORE_ANSWER = new Unanswered();

    /** The latest usage snapshot the backend reported, or null when it reported none. */
    ReportedUsage reported();

    /** The model the backend said answered, or null. */
    String servedModel();

    /** The text the backend generated, for an estimate when it reported no usage; empty when it generated none. */
    String generatedText();

    /** An answer that never came: no usage, no model, no text. */
    final class Unanswered implements ResponseUsage {

        private Unanswered() {
        }

        @Override
        public ReportedUsage reported() {
            return null;
        }

        @Override
        public String servedModel() {
            return null;
        }

        @Override
        public String generatedText() {
            return "";
        }
    }
}
