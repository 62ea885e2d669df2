package io.tollbooth.gateway.proxy;

import io.quarkus.runtime.configuration.MemorySize;
import io.tollbooth.gateway.AccessLog;
import io.tollbooth.gateway.GatewayConfig;
import io.tollbooth.gateway.auth.ApiKeyAuthenticator;
import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.gateway.catalog.CatalogModel;
import io.tollbooth.gateway.catalog.ModelCatalog;
import io.tollbooth.gateway.error.ApiSurface;
import io.tollbooth.gateway.error.ErrorResponses;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.tollbooth.gateway.limits.AdmissionControl;
import io.tollbooth.gateway.metrics.GatewayMetrics;
import io.tollbooth.gateway.routing.Backend;
import io.tollbooth.gateway.routing.BackendChoice;
import io.tollbooth.gateway.routing.BackendRoutes;
import io.tollbooth.gateway.routing.BackendStates;
import io.tollbooth.gateway.usage.UsageRecorder;
import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The gateway's API on the Vert.x router, with no blocking step and no framework in between: every
 * {@link ApiEndpoint} (OpenAI's chat completions, completions, embeddings, responses and transcriptions,
 * Anthropic's messages, Ollama's native chat, generate and embed), and {@code GET /v1/models}.
 *
 * <p>The steps, each a route handler: authenticate the key (before the body is read, so a caller without a key
 * uploads nothing; a bearer token, or Anthropic's {@code x-api-key} on Anthropic's API), read the body up to the size
 * limit, validate it and check the model against the operator's catalog, admit it against the limits of the key
 * and its client, then proxy. Any refusal goes to one
 * failure handler that answers in the endpoint's own error JSON and writes the access log line. Every response
 * carries {@code x-request-id}. Any other path under {@code /v1/} or {@code /api/} gets 404 in the caller's API's
 * shape.
 */
@ApplicationScoped
public class ProxyRoutes {

    /** The path of the model list. */
    static final String MODELS_PATH = "/v1/models";

    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    private static final String START = "tollbooth.start";
    private static final String KEY = "tollbooth.key";
    private static final String MODEL = "tollbooth.model";
    private static final String SURFACE = "tollbooth.surface";
    private static final String X_API_KEY = "x-api-key";
    private static final String ANTHROPIC_VERSION = "anthropic-version";
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private final ApiKeyAuthenticator authenticator;
    private final ModelCatalog catalog;
    private final AdmissionControl admission;
    private final GatewayConfig config;
    private final Clock clock;
    private final BackendRoutes routes;
    private final BackendChoice choice;
    private final GatewayMetrics metrics;
    private final ProxyExchange.Services services;

    ProxyRoutes(ApiKeyAuthenticator authenticator, ModelCatalog catalog, AdmissionControl admission,
            BackendRoutes routes, BackendChoice choice, BackendStates states, BackendClient backend,
            GatewayMetrics metrics,
            UsageRecorder recorder, GatewayConfig config, Clock clock, Vertx vertx,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> serverBodyLimit) {
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.admission = admission;
        this.config = config;
        this.clock = clock;
        this.routes = routes;
        this.choice = choice;
        this.metrics = metrics;
        this.services = new ProxyExchange.Services(backend, states, recorder, vertx, config.clientAbort(),
                config.clientAbortDrainTimeout(), config.maxAttempts());
        long limit = config.maxRequestBodySize().asLongValue();
        if (serverBodyLimit.isPresent() && serverBodyLimit.get().asLongValue() <= limit) {
            throw new IllegalArgumentException("tollbooth.gateway.max-request-body-size (" + limit + " bytes) must "
                    + "be below quarkus.http.limits.max-body-size (" + serverBodyLimit.get().asLongValue()
                    + " bytes), or oversized requests get Quarkus' plain-text 413 instead of OpenAI's error JSON");
        }
    }

    void register(@Observes Router router) {
        RequestBodyReader body = new RequestBodyReader(config.maxRequestBodySize().asLongValue());
        for (ApiEndpoint endpoint : ApiEndpoint.values()) {
            router.post(endpoint.path())
                    .handler(ctx -> authenticate(ctx, endpoint.surface()))
                    .handler(body)
                    .handler(ctx -> proxy(ctx, endpoint))
                    .failureHandler(this::refuse);
        }
        router.get(MODELS_PATH)
                .handler(ctx -> authenticate(ctx, ApiSurface.OPENAI))
                .handler(this::listModels)
                .failureHandler(this::refuse);
        router.get(MODELS_PATH + "/:model")
                .handler(ctx -> authenticate(ctx, ApiSurface.OPENAI))
                .handler(this::retrieveModel)
                .failureHandler(this::refuse);
        router.route("/v1/*").handler(this::unknownUrl);
        router.route("/api/*").handler(this::unknownUrl);
    }

    private void authenticate(RoutingContext ctx, ApiSurface surface) {
        RequestStart start = RequestStart.now(clock.instant());
        ctx.put(START, start);
        ctx.put(SURFACE, surface);
        ctx.response().putHeader(RequestStart.X_REQUEST_ID, start.requestId());
        String key = apiKey(ctx, surface);
        if (key == null) {
            ctx.fail(GatewayException.withOutcome(GatewayError.INVALID_API_KEY, surface.missingKeyMessage(),
                    "key_missing"));
            return;
        }
        authenticator.authenticateKey(key).onComplete(auth -> {
            if (auth.succeeded()) {
                ctx.put(KEY, auth.result());
                ctx.next();
            } else {
                ctx.fail(auth.cause());
            }
        });
    }

    /** The caller's key: a bearer token, or on Anthropic's API also {@code x-api-key}; never the query string. */
    private static String apiKey(RoutingContext ctx, ApiSurface surface) {
        String bearer = ApiKeyAuthenticator.bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer != null || surface != ApiSurface.ANTHROPIC) {
            return bearer;
        }
        String key = ctx.request().getHeader(X_API_KEY);
        return key == null || key.isBlank() ? null : key.trim();
    }

    private void proxy(RoutingContext ctx, ApiEndpoint endpoint) {
        Buffer body = ctx.get(RequestBodyReader.BODY);
        ApiRequest request = RequestParser.parse(endpoint, body, ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
        ctx.put(MODEL, request.model());
        AuthenticatedKey key = ctx.get(KEY);
        catalog.offers(key.operatorId(), request.model()).onComplete(lookup -> {
            if (lookup.failed()) {
                ctx.fail(catalogFailed(ctx, lookup.cause()));
            } else if (!lookup.result() || !key.mayUse(request.model())) {
                ctx.fail(modelNotFound(request.model()));
            } else {
                admit(ctx, key, endpoint, request);
            }
        });
    }

    /** Reserves the request's worst case against its limits, then proxies it; a refusal answers 429. */
    private void admit(RoutingContext ctx, AuthenticatedKey key, ApiEndpoint endpoint, ApiRequest request) {
        RequestStart start = ctx.get(START);
        admission.admit(key, request.model(), request.body(), start.requestId()).onComplete(admitted -> {
            if (admitted.failed()) {
                ctx.fail(admitted.cause());
                return;
            }
            routes.route(key.operatorId(), request.model()).onComplete(found -> {
                if (found.failed()) {
                    admitted.result().settle(TokenCounts.ZERO, false);
                    ctx.fail(catalogFailed(ctx, found.cause()));
                    return;
                }
                List<Backend> candidates = choice.order(key.operatorId(), request.model(), found.result());
                if (candidates.isEmpty()) {
                    admitted.result().settle(TokenCounts.ZERO, false);
                    ctx.fail(GatewayException.withOutcome(GatewayError.SERVICE_UNAVAILABLE, "Every backend of the "
                            + "model is being drained; try again shortly.", "backends_draining"));
                    return;
                }
                new ProxyExchange(start, ctx.request(), key, endpoint, request, candidates, services,
                        admitted.result()).start();
            });
        });
    }

    /** {@code GET /v1/models}: the models of the caller's operator its key may use, in OpenAI's list shape. */
    private void listModels(RoutingContext ctx) {
        AuthenticatedKey key = ctx.get(KEY);
        catalog.models(key.operatorId()).onComplete(lookup -> {
            if (lookup.failed()) {
                ctx.fail(catalogFailed(ctx, lookup.cause()));
                return;
            }
            JsonArray data = new JsonArray();
            lookup.result().stream().filter(model -> key.mayUse(model.name()))
                    .forEach(model -> data.add(modelJson(model)));
            answerJson(ctx, new JsonObject().put("object", "list").put("data", data));
        });
    }

    /** {@code GET /v1/models/{model}}: one model of the caller's operator, or 404 as for a proxied request. */
    private void retrieveModel(RoutingContext ctx) {
        AuthenticatedKey key = ctx.get(KEY);
        String name = ctx.pathParam("model");
        ctx.put(MODEL, name);
        catalog.models(key.operatorId()).onComplete(lookup -> {
            if (lookup.failed()) {
                ctx.fail(catalogFailed(ctx, lookup.cause()));
                return;
            }
            Optional<CatalogModel> model = find(lookup.result(), name);
            if (model.isEmpty() || !key.mayUse(name)) {
                ctx.fail(modelNotFound(name));
            } else {
                answerJson(ctx, modelJson(model.get()));
            }
        });
    }

    private void answerJson(RoutingContext ctx, JsonObject json) {
        RequestStart start = ctx.get(START);
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(json.toBuffer());
        AccessLog.write(new AccessLog.Line(start.requestId(), ctx.get(KEY), ctx.get(MODEL), null, 200, "ok",
                start.elapsedMillis(), null, null));
    }

    private static Optional<CatalogModel> find(List<CatalogModel> models, String name) {
        return models.stream().filter(model -> model.name().equals(name)).findFirst();
    }

    private static JsonObject modelJson(CatalogModel model) {
        return new JsonObject().put("id", model.name()).put("object", "model")
                .put("created", model.createdAt().getEpochSecond()).put("owned_by", model.operatorSlug());
    }

    private static GatewayException catalogFailed(RoutingContext ctx, Throwable cause) {
        LOG.warnf(cause, "outcome=model_lookup_failed request_id=%s", ctx.<RequestStart>get(START).requestId());
        return GatewayException.causedBy(GatewayError.SERVICE_UNAVAILABLE,
                "The gateway cannot check models right now. Please retry.", cause);
    }

    private static GatewayException modelNotFound(String model) {
        return GatewayException.of(GatewayError.MODEL_NOT_FOUND, "The model `" + model
                + "` does not exist or you do not have access to it.");
    }

    private void refuse(RoutingContext ctx) {
        GatewayException error = asGatewayException(ctx);
        RequestStart start = ctx.get(START);
        ErrorResponses.send(ctx.request(), error, ctx.get(SURFACE, ApiSurface.OPENAI));
        metrics.refused(error.error().httpStatus(), error.outcome());
        AccessLog.write(new AccessLog.Line(start.requestId(), ctx.get(KEY), ctx.get(MODEL), null,
                error.error().httpStatus(), error.outcome(), start.elapsedMillis(), null, null));
    }

    /**
     * Any other path or method: 404 in Anthropic's shape when the caller speaks Anthropic's API (it sends
     * {@code anthropic-version} or {@code x-api-key}), in OpenAI's otherwise.
     */
    private void unknownUrl(RoutingContext ctx) {
        RequestStart start = RequestStart.now(clock.instant());
        ctx.response().putHeader(RequestStart.X_REQUEST_ID, start.requestId());
        boolean anthropic = ctx.request().getHeader(ANTHROPIC_VERSION) != null
                || ctx.request().getHeader(X_API_KEY) != null;
        GatewayException error = GatewayException.of(GatewayError.UNKNOWN_URL,
                "Invalid URL (" + ctx.request().method() + " " + ctx.request().path() + ")");
        ErrorResponses.send(ctx.request(), error, anthropic ? ApiSurface.ANTHROPIC : ApiSurface.OPENAI);
        metrics.refused(error.error().httpStatus(), error.outcome());
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
