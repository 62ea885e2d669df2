package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.routing.BackendCatalog;
import io.tollbooth.portal.routing.BackendCatalog.BackendSpec;
import io.tollbooth.portal.routing.BackendCatalog.StoredBackend;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for the inference servers an operator's gateways send requests to, and their drain flag. A backend's
 * credential is never sent or stored: {@code apiKeyEnv} names the gateway's environment variable that holds it.
 * Every gateway replica sees a change within its model cache TTL, and a drain within its backend poll interval.
 */
@Path(AdminApi.V1 + "/backends")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BackendResource {

    @Inject
    BackendCatalog catalog;

    @Inject
    Caller caller;

    /** The operator's backends by name; 404 for an unknown operator. */
    @GET
    @Transactional
    public List<BackendView> list(@RestQuery @NotNull
            @Pattern(regexp = AdminApi.UUID_TEXT, message = AdminApi.UUID_MESSAGE) String operatorId) {
        return catalog.backends(UUID.fromString(operatorId)).stream().map(BackendView::of).toList();
    }

    /** Adds a backend; 400 lists every invalid field, 404 for an unknown operator, 409 for a taken name. */
    @POST
    @Transactional
    public RestResponse<BackendView> create(@NotNull @Valid BackendRequest request) {
        if (request.operatorId() == null) {
            throw AdminException.invalid("operatorId: must not be null");
        }
        StoredBackend backend = catalog.create(request.operatorId(), request.spec(), caller.name());
        return AdminApi.created("/backends/" + backend.id(), BackendView.of(backend));
    }

    @GET
    @Path("{id}")
    @Transactional
    public BackendView get(@RestPath UUID id) {
        return BackendView.of(catalog.backend(id));
    }

    /** Replaces everything said about the backend but its operator and drain flag. */
    @PUT
    @Path("{id}")
    @Transactional
    public BackendView update(@RestPath UUID id, @NotNull @Valid BackendRequest request) {
        return BackendView.of(catalog.update(id, request.spec(), caller.name()));
    }

    /** Removes a backend no model is routed to; 409 names the models that still are. */
    @DELETE
    @Path("{id}")
    @Transactional
    public RestResponse<Void> delete(@RestPath UUID id) {
        catalog.delete(id, caller.name());
        return RestResponse.noContent();
    }

    /** Stops new requests to the backend on every gateway replica; the requests it has finish. */
    @POST
    @Path("{id}/drain")
    @Transactional
    public BackendView drain(@RestPath UUID id) {
        return BackendView.of(catalog.drain(id, true, caller.name()));
    }

    /** Lets the backend take requests again. */
    @POST
    @Path("{id}/undrain")
    @Transactional
    public BackendView undrain(@RestPath UUID id) {
        return BackendView.of(catalog.drain(id, false, caller.name()));
    }

    /**
     * Body of {@code POST} and {@code PUT /admin/v1/backends}; {@code operatorId} is read on creation only.
     *
     * @param kind {@code vllm}, {@code ollama}, {@code llama_cpp}, {@code openai} or {@code anthropic}
     * @param baseUrl the API root up to and including its version segment, such as {@code http://10.0.0.5:8000/v1}
     * @param apiKeyEnv the gateway's environment variable holding the backend's key, such as {@code OPENAI_API_KEY}
     * @param maxInFlight requests one gateway replica sends at once before it spills to the model's next backend
     * @param maxWaiting vLLM's waiting queue ({@code metricsUrl}) above which the backend is passed over
     * @param healthUrl polled by the gateway; a backend failing it is passed over
     */
    public record BackendRequest(UUID operatorId, String name, String baseUrl, String kind, String apiKeyEnv,
            Integer maxInFlight, Integer maxWaiting, String healthUrl, String metricsUrl) {

        BackendSpec spec() {
            return new BackendSpec(name, baseUrl, kind, apiKeyEnv, maxInFlight, maxWaiting, healthUrl, metricsUrl);
        }
    }

    /** A backend as the admin API shows it; optional values are null when not set. */
    public record BackendView(UUID id, UUID operatorId, String name, String baseUrl, String kind, String apiKeyEnv,
            Integer maxInFlight, Integer maxWaiting, String healthUrl, String metricsUrl, boolean draining,
            Instant createdAt) {

        static BackendView of(StoredBackend b) {
            return new BackendView(b.id(), b.operatorId(), b.name(), b.baseUrl(), b.kind(), b.apiKeyEnv(),
                    b.maxInFlight(), b.maxWaiting(), b.healthUrl(), b.metricsUrl(), b.draining(), b.createdAt());
        }
    }
}
