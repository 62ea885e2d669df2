package io.tollbooth.billing.payment;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Sends requests to Stripe through stripe-java's {@link StripeClient}, with the configured API base and timeouts,
 * retrying with exponential backoff exactly where {@link StripeRetryPolicy} allows and never otherwise.
 *
 * <p>stripe-java's own retries are switched off so that this class alone decides; every attempt of a request
 * carries the same idempotency key, so a retry can never create a second object.
 */
@ApplicationScoped
public class StripeApi {

    private static final Logger LOG = Logger.getLogger(StripeApi.class);

    private final StripeConfig config;
    private final RetryPause pause;
    private final StripeClient client;

    StripeApi(StripeConfig config, RetryPause pause) {
        this.config = config;
        this.pause = pause;
        this.client = config.enabled() ? client(config) : null;
    }

    /** One request through stripe-java. */
    @FunctionalInterface
    public interface Request<T> {

        /** Sends the request with these options (they carry the idempotency key). */
        T send(StripeClient stripe, RequestOptions options) throws StripeException;
    }

    /** Refuses to start with Stripe enabled but no API key, instead of failing at the first invoice. */
    void checkOnStart(@Observes StartupEvent start) {
        if (config.enabled()) {
            LOG.infof("stripe enabled api_base=%s mode=%s webhook_secrets=%d", config.apiBase(), config.mode(),
                    config.webhookSecrets().map(s -> s.size()).orElse(0));
        }
    }

    /** Whether Stripe is enabled ({@code tollbooth.billing.stripe.enabled}). */
    public boolean enabled() {
        return client != null;
    }

    /**
     * Sends a request, retrying it with the same idempotency key while Stripe says it may be retried, up to
     * {@code tollbooth.billing.stripe.max-attempts} attempts.
     *
     * @param operation what the request does, for logs and errors: "create payment intent"
     * @param idempotencyKey the request's stable idempotency key; null for a read
     * @throws PaymentSyncException {@link PaymentSyncError#STRIPE_UNAVAILABLE} when every attempt failed in a way
     *     that may be retried later, {@link PaymentSyncError#STRIPE_REJECTED} when Stripe refused it for good; the
     *     cause is stripe-java's exception
     */
    public <T> T send(String operation, String idempotencyKey, Request<T> request) {
        if (client == null) {
            throw new IllegalStateException("Stripe is not enabled (tollbooth.billing.stripe.enabled=false)");
        }
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = request.send(client, options);
                LOG.debugf("stripe_request operation='%s' idempotency_key=%s attempt=%d outcome=ok", operation,
                        idempotencyKey, attempt);
                return result;
            } catch (StripeException failure) {
                boolean retryable = StripeRetryPolicy.mayRetry(failure);
                if (!retryable || attempt >= config.maxAttempts()) {
                    throw failed(operation, idempotencyKey, failure, retryable, attempt);
                }
                Duration delay = StripeRetryPolicy.backoff(attempt, config.initialBackoff(), config.maxBackoff());
                LOG.warnf("stripe_request operation='%s' idempotency_key=%s attempt=%d outcome=retry status=%s"
                        + " error='%s' delay_ms=%d", operation, idempotencyKey, attempt, failure.getStatusCode(),
                        summary(failure), delay.toMillis());
                pause.pause(delay);
            }
        }
    }

    private static PaymentSyncException failed(String operation, String idempotencyKey, StripeException failure,
            boolean retryable, int attempts) {
        PaymentSyncError error = retryable ? PaymentSyncError.STRIPE_UNAVAILABLE : PaymentSyncError.STRIPE_REJECTED;
        String message = "Stripe " + operation + " failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ": " + summary(failure);
        LOG.warnf("stripe_request operation='%s' idempotency_key=%s attempts=%d outcome=%s error='%s'", operation,
                idempotencyKey, attempts, error, summary(failure));
        return new PaymentSyncException(error, message, failure);
    }

    /** Status, Stripe's error type and code, its message and request id; never a card number or API key. */
    static String summary(StripeException failure) {
        StripeError error = failure.getStripeError();
        if (error == null) {
            return failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        StringBuilder summary = new StringBuilder("HTTP ").append(failure.getStatusCode()).append(' ')
                .append(error.getType());
        if (error.getCode() != null) {
            summary.append('/').append(error.getCode());
        }
        summary.append(": ").append(error.getMessage());
        if (failure.getRequestId() != null) {
            summary.append(" (request ").append(failure.getRequestId()).append(')');
        }
        return summary.toString();
    }

    private static StripeClient client(StripeConfig config) {
        String apiKey = config.apiKey().filter(key -> !key.isBlank()).orElseThrow(() -> new IllegalStateException(
                "tollbooth.billing.stripe.enabled is true but no API key is set;"
                        + " set TOLLBOOTH_BILLING_STRIPE_API_KEY or switch Stripe off"));
        return StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(config.apiBase())
                .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(config.readTimeout().toMillis()))
                .setMaxNetworkRetries(0)
                .build();
    }
}
