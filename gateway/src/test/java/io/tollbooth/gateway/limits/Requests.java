package io.tollbooth.gateway.limits;

import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.gateway.error.GatewayException;
import io.tollbooth.gateway.testing.Seed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Request bodies of known worst case, and waiting on admissions made by hand. */
final class Requests {

    /** jtokkit (o200k_base) on one user message "hi" with OpenAI's framing: 3 + (3 + "user" 1 + "hi" 1). */
    static final long HI_PROMPT_TOKENS = 8;

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Requests() {
    }

    /** A chat completion saying "hi" with {@code max_tokens}: worst case {@value #HI_PROMPT_TOKENS} + max tokens. */
    static Buffer hi(long maxTokens) {
        return Buffer.buffer("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"max_tokens\":" + maxTokens + "}");
    }

    /** The key as the authenticator would hand it over. */
    static AuthenticatedKey key(Tenants.Tenant tenant, Seed.TestKey key) {
        return new AuthenticatedKey(key.id(), key.prefix(), tenant.client(), tenant.operator());
    }

    static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /** The admission, or the refusal it failed with. */
    static Outcome await(Future<Admission> admission) {
        try {
            return new Outcome(admission.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(),
                    TimeUnit.SECONDS), null);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof GatewayException refusal) {
                return new Outcome(null, refusal);
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(Future<T> future, Duration wait) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An admission's result: admitted, or refused. */
    record Outcome(Admission admission, GatewayException refusal) {

        boolean admitted() {
            return admission != null;
        }

        /** {@code admitted}, or the refusal's code. */
        String code() {
            return admitted() ? "admitted" : refusal.error().code();
        }
    }
}
