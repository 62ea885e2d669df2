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

    /** The latest usage snapshot the backend reported, each counter at its latest value; null when none. */
    ReportedUsage reported();

    /**
     * Whether {@link #reported()} is the backend's final count. False when none came, or only a preliminary one (an
     * Anthropic {@code message_start}, whose output count is the first token's), as when a stream is cut short.
     */
    boolean reportedFinal();

    /** Whether anyone is billed for the answer: false for Ollama's answer to a model load. */
    boolean billable();

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
        public boolean reportedFinal() {
            return false;
        }

        @Override
        public boolean billable() {
            return true;
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
