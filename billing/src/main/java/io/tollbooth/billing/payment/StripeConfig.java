package io.tollbooth.billing.payment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How billing talks to Stripe. Off by default: nothing is sent to Stripe and webhooks are refused. */
@ConfigMapping(prefix = "tollbooth.billing.stripe")
public interface StripeConfig {

    /** Whether finalized invoices are pushed to Stripe and Stripe's webhooks are accepted. */
    @WithDefault("false")
    boolean enabled();

    /**
     * The secret API key ({@code sk_...} or a restricted {@code rk_...}). Set it only from the environment
     * ({@code TOLLBOOTH_BILLING_STRIPE_API_KEY}); required when {@link #enabled()}.
     */
    Optional<String> apiKey();

    /** The base URL of Stripe's API. Tests point it at a local stand-in. */
    @WithDefault("https://api.stripe.com")
    String apiBase();

    /** How finalized invoices are collected; the mode is fixed per invoice when its first push starts. */
    @WithDefault("INVOICE")
    StripeMode mode();

    /**
     * The webhook endpoint's signing secrets ({@code whsec_...}), comma-separated. A delivery is accepted when any
     * of its {@code v1} signatures matches any of them, so a secret can be rolled without losing events. Set them
     * only from the environment ({@code TOLLBOOTH_BILLING_STRIPE_WEBHOOK_SECRETS}).
     */
    Optional<List<String>> webhookSecrets();

    /** How far the signed timestamp of a webhook delivery may be from the clock, either way (replay protection). */
    @WithDefault("300s")
    Duration webhookTolerance();

    /** How long to wait for a connection to Stripe. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** How long to wait for Stripe's answer once the request is sent (Stripe's own default is 80 s). */
    @WithDefault("80s")
    Duration readTimeout();

    /**
     * Attempts per request, the first included, when Stripe says the request may be retried (network errors, 409
     * conflicts, 429, 5xx). Every attempt carries the same idempotency key.
     */
    @WithDefault("5")
    int maxAttempts();

    /** The wait before the first retry; it doubles with every further retry up to {@link #maxBackoff()}. */
    @WithDefault("500ms")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("8s")
    Duration maxBackoff();

    /**
     * How often finalized invoices of clients linked to a Stripe customer are pushed, as a Quarkus duration
     * ({@code 60s}); {@code off} stops the job (pushes then happen only on request).
     */
    @WithDefault("60s")
    String syncEvery();
}
