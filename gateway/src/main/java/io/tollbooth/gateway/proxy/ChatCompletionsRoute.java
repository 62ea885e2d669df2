package io.tollbooth.gateway.proxy;

import io.quarkus.runtime.configuration.MemorySize;
import io.tollbooth.gateway.AccessLog;
import io.tollbooth.gateway.GatewayConfig;
import io.tollbooth.gateway.auth.ApiKeyAuthenticator;
import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.gateway.catalog.ModelCatalog;
import io.tollbooth.gateway.error.ErrorResponses;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.tollbooth.gateway.limits.AdmissionControl;
import io.tollbooth.gateway.usage.UsageRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/chat/completions} on the Vert.x router, with no blocking step and no framework in between.
 *
 * <p>The steps, each a route handler: authenticate the key (before the body is read, so a caller without a key
 * uploads nothing), read the body up to the size limit, validate it and check the model against the operator's
 * catalog, admit it against the limits of the key and its client, then proxy. Any refusal goes to one failure handler that answers OpenAI's error JSON and writes the
 * access log line. Every response carries {@code x-request-id}.
 */
@ApplicationScoped
public class ChatCompletionsRoute {

    /** The route's path. */
    static final String PATH = "/v1/chat/completions";

    /** The API operation recorded in usage events. */
    static final String ENDPOINT = "chat.completions";

    private static final Logger LOG = Logger.getLogger(ChatCompletionsRoute.class);
    private static final String START = "tollbooth.start";
    private static final String KEY = "tollbooth.key";
    private static final String MODEL = "tollbooth.model";

    private final ApiKeyAuthenticator authenticator;
    private final ModelCatalog catalog;
    private final AdmissionControl admission;
    private final BackendClient backend;
    private final UsageRecorder recorder;
    private final GatewayConfig config;
    private final Clock clock;

    ChatCompletionsRoute(ApiKeyAuthenticator authenticator, ModelCatalog catalog, AdmissionControl admission,
            BackendClient backend, UsageRecorder recorder, GatewayConfig config, Clock clock,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> serverBodyLimit) {
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.admission = admission;
        this.backend = backend;
        this.recorder = recorder;
        this.config = config;
        this.clock = clock;
        long limit = config.maxRequestBodySize().asLongValue();
        if (serverBodyLimit.isPresent() && serverBodyLimit.get().asLongValue() <= limit) {
            throw new IllegalArgumentException("tollbooth.gateway.max-request-body-size (" + limit + " bytes) must "
                    + "be below quarkus.http.limits.max-body-size (" + serverBodyLimit.get().asLongValue()
                    + " bytes), or oversized requests get Quarkus' plain-text 413 instead of OpenAI's error JSON");
        }
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false)
                .setBodyLimit(config.maxRequestBodySize().asLongValue())
                .setPreallocateBodyBuffer(true);
        // Two routes, because Vert.x runs a body handler only first on its route, and the key is checked first.
        router.post(PATH)
                .handler(this::authenticate)
                .failureHandler(this::refuse);
        router.post(PATH)
                .handler(body)
                .handler(this::proxy)
                .failureHandler(this::refuse);
        router.route("/v1/*").handler(this::unknownUrl);
    }

    private void authenticate(RoutingContext ctx) {
        RequestStart start = RequestStart.now(clock.instant());
        ctx.put(START, start);
        ctx.response().putHeader(RequestStart.X_REQUEST_ID, start.requestId());
        authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).onComplete(auth -> {
            if (auth.succeeded()) {
                ctx.put(KEY, auth.result());
                ctx.next();
            } else {
                ctx.fail(auth.cause());
            }
        });
    }

    private void proxy(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        ChatRequest request = ChatRequestParser.parse(body == null ? Buffer.buffer() : body);
        ctx.put(MODEL, request.model());
        AuthenticatedKey key = ctx.get(KEY);
        catalog.offers(key.operatorId(), request.model()).onComplete(lookup -> {
            if (lookup.failed()) {
                LOG.warnf(lookup.cause(), "outcome=model_lookup_failed request_id=%s",
                        ctx.<RequestStart>get(START).requestId());
                ctx.fail(GatewayException.causedBy(GatewayError.SERVICE_UNAVAILABLE,
                        "The gateway cannot check models right now. Please retry.", lookup.cause()));
            } else if (!lookup.result()) {
                ctx.fail(GatewayException.of(GatewayError.MODEL_NOT_FOUND, "The model `" + request.model()
                        + "` does not exist or you do not have access to it."));
            } else {
                admit(ctx, key, request);
            }
        });
    }

    /** Reserves the request's worst case against its limits, then proxies it; a refusal answers 429. */
    private void admit(RoutingContext ctx, AuthenticatedKey key, ChatRequest request) {
        RequestStart start = ctx.get(START);
        admission.admit(key, request.model(), request.body(), start.requestId()).onComplete(admitted -> {
            if (admitted.succeeded()) {
                new ProxyExchange(start, ctx.request(), key, request, backend, recorder, admitted.result()).start();
            } else {
                ctx.fail(admitted.cause());
            }
        });
    }

    private void refuse(RoutingContext ctx) {
        GatewayException error = asGatewayException(ctx);
        RequestStart start = ctx.get(START);
        ErrorResponses.send(ctx.request(), error);
        AccessLog.write(new AccessLog.Line(start.requestId(), ctx.get(KEY), ctx.get(MODEL), null,
                error.error().httpStatus(), error.outcome(), start.elapsedMillis(), null, null));
    }

    private void unknownUrl(RoutingContext ctx) {
        RequestStart start = RequestStart.now(clock.instant());
        ctx.response().putHeader(RequestStart.X_REQUEST_ID, start.requestId());
        GatewayException error = GatewayException.of(GatewayError.UNKNOWN_URL,
                "Invalid URL (" + ctx.request().method() + " " + ctx.request().path() + ")");
        ErrorResponses.send(ctx.request(), error);
        AccessLog.write(new AccessLog.Line(start.requestId(), null, null, null, error.error().httpStatus(),
                error.outcome(), start.elapsedMillis(), null, null));
    }

    private GatewayException asGatewayException(RoutingContext ctx) {
        if (ctx.failure() instanceof GatewayException error) {
            return error;
        }
        if (ctx.statusCode() == 413) {
            return GatewayException.of(GatewayError.REQUEST_TOO_LARGE, "The request body is larger than the limit "
                    + "of " + config.maxRequestBodySize().asLongValue() + " bytes.");
        }
        if (ctx.statusCode() == 400) {
            return GatewayException.of(GatewayError.INVALID_REQUEST, "The request body could not be read.");
        }
        LOG.errorf(ctx.failure(), "outcome=internal_error request_id=%s status=%d",
                ctx.<RequestStart>get(START).requestId(), ctx.statusCode());
        return GatewayException.causedBy(GatewayError.INTERNAL_ERROR, "The gateway failed to process the request.",
                ctx.failure());
    }
}
