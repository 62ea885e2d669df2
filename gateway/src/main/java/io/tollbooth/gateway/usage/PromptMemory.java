package io.tollbooth.gateway.usage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The prompt counts backends reported, by client, model and prompt fingerprint, so a prompt a backend stops
 * counting can be billed at its real size. Ollama reuses a cached prompt without counting it again: it leaves
 * {@code prompt_eval_count} out or reports {@code prompt_tokens: 0} on its OpenAI API; the same prompt's earlier
 * count is exact where the tokenizer's estimate is not. Only a missing or zero count is ever replaced.
 *
 * <p>Held per gateway replica and bounded; a prompt this replica has not seen falls back to the estimate. Kept
 * apart per client, so one tenant's requests never change another's bill.
 */
final class PromptMemory {

    /** Prompts remembered; a fingerprint and a count each, a few dozen bytes. */
    private static final long MAX_PROMPTS = 50_000;
    /** How long a prompt nobody sent again is remembered; well past Ollama's default keep-alive of 5 minutes. */
    private static final Duration RETENTION = Duration.ofHours(1);

    private final Cache<Key, Long> counts = Caffeine.newBuilder()
            .maximumSize(MAX_PROMPTS)
            .expireAfterAccess(RETENTION)
            .build();

    /** The largest prompt count reported for the request's prompt, or null (also for a request with no print). */
    Long recall(FinishedRequest request) {
        return request.promptFingerprint() == 0 ? null : counts.getIfPresent(key(request));
    }

    /** Remembers {@code promptTokens}, a count the backend reported for the request's prompt. */
    void remember(FinishedRequest request, long promptTokens) {
        if (request.promptFingerprint() != 0 && promptTokens > 0) {
            counts.asMap().merge(key(request), promptTokens, Math::max);
        }
    }

    private static Key key(FinishedRequest request) {
        return new Key(request.key().clientId().toString(), request.requestedModel(), request.promptFingerprint());
    }

    /** Whose prompt, for which model, and its fingerprint. */
    private record Key(String clientId, String model, long fingerprint) {
    }
}
