package io.tollbooth.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The gateway's own settings, under {@code tollbooth.gateway}. */
@ConfigMapping(prefix = "tollbooth.gateway")
public interface GatewayConfig {

    /** The backend that serves every request (OpenAI-compatible; also Anthropic's and Ollama's native API). */
    Backend backend();

    /**
     * {@code tollbooth.gateway.max-request-body-size}: the largest request body accepted; a larger one gets 413
     * before it is read. Must stay below {@code quarkus.http.limits.max-body-size}, whose plain-text 413 would
     * otherwise answer first.
     */
    @WithDefault("8M")
    MemorySize maxRequestBodySize();

    /** API-key lookups. */
    Auth auth();

    /** The catalog of models each operator offers. */
    Models models();

    /** Delivery of usage events to Kafka. */
    Usage usage();

    /**
     * {@code tollbooth.gateway.client-abort}: what happens to the backend's answer when the caller hangs up
     * mid-answer. {@code cancel} stops the backend at once (nothing more is generated for nobody) and meters what
     * was produced so far, estimated where the backend had not yet reported; {@code drain} reads the answer to its
     * end without sending it, so the event carries the backend's own final counts. Either way the request leaves
     * one event with status {@code CLIENT_ABORTED}.
     */
    @WithDefault("cancel")
    ClientAbort clientAbort();

    /**
     * {@code tollbooth.gateway.client-abort-drain-timeout}: in {@code drain} mode, the longest time an abandoned
     * answer is read before the backend is stopped after all and the rest estimated.
     */
    @WithDefault("PT5M")
    Duration clientAbortDrainTimeout();

    /**
     * {@code tollbooth.gateway.max-attempts}: the most backends one request is sent to, the first included, when
     * backends cannot be reached or answer 5xx or 429 before their first byte (see the {@code model_route} table).
     */
    @WithDefault("3")
    int maxAttempts();

    /** The circuit breaker each replica keeps per backend. */
    CircuitBreaker circuitBreaker();

    /** What each replica polls about the backends: drain flags, health checks, vLLM's waiting queue. */
    Backends backends();

    /** What the gateway does with the backend's answer once the caller has hung up. */
    enum ClientAbort {
        /** Stop the backend at once; meter what it produced so far. */
        CANCEL,
        /** Read the answer to its end; meter the backend's final counts. */
        DRAIN
    }

    /** When a backend is passed over after failing. */
    interface CircuitBreaker {

        /**
         * {@code tollbooth.gateway.circuit-breaker.failure-threshold}: consecutive failures (no connection, 5xx or
         * 429) after which a backend is passed over while its model has another backend.
         */
        @WithDefault("5")
        int failureThreshold();

        /**
         * {@code tollbooth.gateway.circuit-breaker.open-duration}: how long a tripped backend is passed over before
         * requests try it again; one success closes the breaker, one more failure opens it again.
         */
        @WithDefault("PT30S")
        Duration openDuration();
    }

    /** The backend monitor's settings. */
    interface Backends {

        /**
         * {@code tollbooth.gateway.backends.poll-interval}: how often a replica reads the backends' drain flags from
         * the database, checks their {@code health_url} and reads their {@code metrics_url}; a drained backend gets
         * no new request from any replica after at most about this long.
         */
        @WithDefault("PT2S")
        Duration pollInterval();

        /** {@code tollbooth.gateway.backends.probe-timeout}: the longest a health check or metrics read may take. */
        @WithDefault("PT1S")
        Duration probeTimeout();

        /**
         * {@code tollbooth.gateway.backends.unhealthy-threshold}: failed health checks in a row after which a
         * backend is passed over (while its model has another backend); one passed check brings it back.
         */
        @WithDefault("2")
        int unhealthyThreshold();
    }

    /** Settings of the one backend. */
    interface Backend {

        /** {@code tollbooth.gateway.backend.name}: the backend's name in usage events and logs. */
        @WithDefault("default")
        String name();

        /**
         * {@code tollbooth.gateway.backend.base-url}: the backend's OpenAI API root, up to and including the
         * version segment, for example {@code http://127.0.0.1:8000/v1}. Required. Anthropic's {@code /v1/messages}
         * is sent to {@code <base-url>/messages}; Ollama's native {@code /api/chat} and {@code /api/generate} to the
         * base URL's parent, for example {@code http://127.0.0.1:11434/api/chat}.
         */
        URI baseUrl();

        /**
         * {@code tollbooth.gateway.backend.api-key}: bearer token sent to the backend, if it needs one. Set it
         * from the environment ({@code TOLLBOOTH_GATEWAY_BACKEND_API_KEY}), never in a file.
         */
        Optional<String> apiKey();

        /** {@code tollbooth.gateway.backend.connect-timeout}: longest wait for a TCP connection; then 504. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /**
         * {@code tollbooth.gateway.backend.idle-timeout}: longest silence from the backend, including the wait for
         * its first byte (a long prompt's prefill); then 504, or the stream is cut if it had begun.
         */
        @WithDefault("PT120S")
        Duration idleTimeout();

        /** {@code tollbooth.gateway.backend.max-connections}: HTTP/1.1 connections kept to the backend. */
        @WithDefault("1024")
        int maxConnections();
    }

    /** API-key cache settings. */
    interface Auth {

        /**
         * {@code tollbooth.gateway.auth.valid-key-ttl}: how long a valid key is trusted without asking the
         * database again. A revoked key stops working after at most this long, so it may not exceed 5 s.
         */
        @WithDefault("PT4S")
        Duration validKeyTtl();

        /**
         * {@code tollbooth.gateway.auth.unknown-key-ttl}: how long an unknown key is remembered as unknown, which
         * spares the database from repeated bad keys; a newly created key may be refused for this long.
         */
        @WithDefault("PT2S")
        Duration unknownKeyTtl();

        /** {@code tollbooth.gateway.auth.cache-size}: most keys (valid and unknown) held in memory. */
        @WithDefault("100000")
        long cacheSize();
    }

    /** Model catalog cache settings. */
    interface Models {

        /**
         * {@code tollbooth.gateway.models.cache-ttl}: how long an operator's model list is used before it is read
         * again; a new model is accepted, and a removed one refused, after at most this long.
         */
        @WithDefault("PT30S")
        Duration cacheTtl();
    }

    /** Usage event delivery settings. */
    interface Usage {

        /**
         * {@code tollbooth.gateway.usage.queue-capacity}: finished requests waiting to be turned into events and
         * appended to the spool; when full, each further request's own thread does that work (a WARN once a minute
         * says so), so no event is ever dropped.
         */
        @WithDefault("10000")
        int queueCapacity();

        /** {@code tollbooth.gateway.usage.shutdown-timeout}: how long shutdown waits to hand over queued events. */
        @WithDefault("PT10S")
        Duration shutdownTimeout();
    }
}
