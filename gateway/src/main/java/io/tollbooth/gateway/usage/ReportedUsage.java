package io.tollbooth.gateway.usage;

/**
 * The counters of an OpenAI {@code usage} object, as the backend sent them: a snapshot of the whole request so
 * far, never a delta. A counter the backend left out is null.
 *
 * @param promptTokens {@code prompt_tokens}: every prompt token, cached ones included
 * @param cachedTokens {@code prompt_tokens_details.cached_tokens}: prompt tokens read from the prompt cache
 * @param completionTokens {@code completion_tokens}: every generated token, reasoning included
 * @param reasoningTokens {@code completion_tokens_details.reasoning_tokens}: the reasoning part of the completion
 */
public record ReportedUsage(Long promptTokens, Long cachedTokens, Long completionTokens, Long reasoningTokens) {
}
