package io.tollbooth.portal.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.operations.SystemState;
import io.tollbooth.portal.routing.BackendCatalog;
import io.tollbooth.portal.routing.BackendCatalog.BackendSpec;
import io.tollbooth.portal.routing.BackendKind;
import io.tollbooth.portal.routing.RouteStrategy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The operator's backends and routes (add, change or remove a backend, drain or undrain one, route a model, remove
 * a route) and the system state page. Every form carries a CSRF token; every change goes through
 * {@link BackendCatalog}, as the admin API's do, so a form refuses what the API refuses, with the same words, and
 * shows the page again with what was typed.
 */
@Path("/portal/operator")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.TEXT_HTML)
public class BackendPages {

    /** What a change did, by the code the page is redirected with, so that no free text travels in a URL. */
    private static final Map<String, String> NOTICES = Map.of(
            "added", "The backend was added. Route a model to it below.",
            "updated", "The backend was changed. Gateways use the change once they have polled.",
            "removed", "The backend was removed.",
            "drained", "The backend is draining: gateways send it no new requests once they have polled (within "
                    + "their poll interval); the requests it has finish.",
            "undrained", "The backend takes requests again once the gateways have polled.",
            "routed", "The route was saved. Gateways use it once their model cache expires.",
            "unrouted", "The route was removed: the gateway's configured backend serves the model again.");

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance backends(StaffFrame frame, OperatorChoice choice, List<BackendRow> backends,
                List<RouteRow> routes, BackendForm backendForm, RouteForm routeForm, List<String> kinds,
                List<String> strategies, String notice, String error);

        static native TemplateInstance system(StaffFrame frame, OperatorChoice choice, SystemView state);
    }

    @Inject
    BackendCatalog catalog;

    @Inject
    SystemState systemState;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Context
    HttpHeaders headers;

    /** The chosen operator's backends with their drain flag, and its routed models. */
    @GET
    @Path("backends")
    @Transactional
    public TemplateInstance backends(@RestQuery String operator, @RestQuery String done, @RestQuery String edit) {
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        BackendForm form = BackendForm.EMPTY;
        if (edit != null && !edit.isBlank() && choice.chosen()) {
            BackendCatalog.StoredBackend backend = catalog.backend(backendId(edit));
            if (!backend.operatorId().equals(choice.operatorId())) {
                throw AdminException.notFound("backend", backend.id());
            }
            form = BackendForm.of(backend);
        }
        return page(choice, form, RouteForm.EMPTY, done == null ? null : NOTICES.get(done), null);
    }

    @POST
    @Path("backends")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> addBackend(@RestForm String operator, @BeanParam BackendFields typed) {
        OperatorChoice choice = chosen(operator);
        BackendForm form = typed.form(null);
        return change(choice, "added", form, RouteForm.EMPTY, () -> catalog.create(choice.operatorId(), form.spec(),
                caller.name()));
    }

    /** Replaces what the form says about a backend; its routes and drain flag stay as they are. */
    @POST
    @Path("backends/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> updateBackend(@RestPath UUID id, @BeanParam BackendFields typed) {
        OperatorChoice choice = chosen(catalog.backend(id).operatorId().toString());
        BackendForm form = typed.form(id);
        return change(choice, "updated", form, RouteForm.EMPTY, () -> catalog.update(id, form.spec(),
                caller.name()));
    }

    /** Removes a backend that no model is routed to; otherwise the page names the models that still are. */
    @POST
    @Path("backends/{id}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> removeBackend(@RestPath UUID id) {
        OperatorChoice choice = chosen(catalog.backend(id).operatorId().toString());
        return change(choice, "removed", BackendForm.EMPTY, RouteForm.EMPTY, () -> catalog.delete(id, caller.name()));
    }

    @POST
    @Path("backends/{id}/drain")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> drain(@RestPath UUID id) {
        return drained(id, true);
    }

    @POST
    @Path("backends/{id}/undrain")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> undrain(@RestPath UUID id) {
        return drained(id, false);
    }

    /**
     * Replaces a model's route. The backends are typed one per line, in priority order, as
     * {@code name, weight, backend model} (weight and backend model optional).
     */
    @POST
    @Path("routes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> route(@RestForm String operator, @RestForm String model,
            @RestForm String strategy, @RestForm String backends) {
        OperatorChoice choice = chosen(operator);
        RouteForm form = new RouteForm(model, strategy, backends);
        return change(choice, "routed", BackendForm.EMPTY, form, () -> catalog.replaceRoute(choice.operatorId(),
                model == null ? null : model.strip(), strategy, targets(choice.operatorId(), backends), caller.name()));
    }

    @POST
    @Path("routes/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> removeRoute(@RestForm String operator, @RestForm String model) {
        OperatorChoice choice = chosen(operator);
        return change(choice, "unrouted", BackendForm.EMPTY, RouteForm.EMPTY,
                () -> catalog.deleteRoute(choice.operatorId(), model, caller.name()));
    }

    /** Consumer lag, dead letters, unpriced usage, backend health and spool depth, read now. */
    @GET
    @Path("system")
    @Transactional
    public TemplateInstance system(@RestQuery String operator) {
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        SystemView view = choice.chosen() ? SystemView.of(systemState.snapshot(choice.operatorId()), format())
                : null;
        return Templates.system(StaffFrame.of(caller, format().locale(), "system"), choice, view);
    }

    private RestResponse<TemplateInstance> drained(UUID id, boolean draining) {
        BackendCatalog.StoredBackend backend = catalog.drain(id, draining, caller.name());
        return RestResponse.seeOther(URI.create("/portal/operator/backends?operator=" + backend.operatorId()
                + "&done=" + (draining ? "drained" : "undrained")));
    }

    private RestResponse<TemplateInstance> change(OperatorChoice choice, String done, BackendForm backendForm,
            RouteForm routeForm, Runnable action) {
        try {
            action.run();
        } catch (AdminException refusal) {
            if (refusal.error() != AdminError.INVALID_REQUEST && refusal.error() != AdminError.CONFLICT
                    && refusal.error() != AdminError.NOT_FOUND) {
                throw refusal;
            }
            // Nothing was written before the check failed; the transaction has nothing to undo.
            TemplateInstance page = page(choice, backendForm, routeForm, null, refusal.detail());
            RestResponse.Status status = RestResponse.Status.fromStatusCode(refusal.error().status());
            return RestResponse.ResponseBuilder.create(status, page).build();
        }
        return RestResponse.seeOther(URI.create("/portal/operator/backends?operator=" + choice.operatorId()
                + "&done=" + done));
    }

    private TemplateInstance page(OperatorChoice choice, BackendForm backendForm, RouteForm routeForm,
            String notice, String error) {
        List<BackendRow> backends = !choice.chosen() ? List.of() : catalog.backends(choice.operatorId()).stream()
                .map(BackendRow::of).toList();
        List<RouteRow> routes = !choice.chosen() ? List.of() : catalog.routes(choice.operatorId()).stream()
                .map(RouteRow::of).toList();
        return Templates.backends(StaffFrame.of(caller, format().locale(), "backends"), choice, backends, routes,
                backendForm, routeForm, BackendKind.codes(), RouteStrategy.codes(), notice, error);
    }

    private OperatorChoice chosen(String operator) {
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        if (!choice.chosen()) {
            throw AdminException.invalid("choose the operator whose backends to change");
        }
        return choice;
    }

    /** The typed backend lines as targets, by the operator's backend names; an unknown name is refused. */
    private List<BackendCatalog.Target> targets(UUID operatorId, String lines) {
        Map<String, UUID> byName = catalog.backends(operatorId).stream()
                .collect(Collectors.toMap(BackendCatalog.StoredBackend::name, BackendCatalog.StoredBackend::id));
        List<BackendCatalog.Target> targets = new ArrayList<>();
        for (String line : (lines == null ? "" : lines).split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(",", 3);
            String name = parts[0].strip();
            UUID id = Optional.ofNullable(byName.get(name)).orElseThrow(() -> AdminException.invalid(
                    "there is no backend named '" + name + "'; add it first"));
            Integer weight = parts.length > 1 && !parts[1].isBlank() ? number("weight", parts[1].strip()) : null;
            String backendModel = parts.length > 2 ? parts[2].strip() : null;
            targets.add(new BackendCatalog.Target(id, targets.size(), weight == null ? 1 : weight, backendModel));
        }
        return targets;
    }

    private static UUID backendId(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid("edit must be a backend's id");
        }
    }

    private static Integer number(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw AdminException.invalid(field + ": must be a whole number such as 8");
        }
    }

    private ViewerFormat format() {
        return new ViewerFormat(ViewerFormat.viewerLocale(headers.getAcceptableLanguages()),
                Currency.getInstance("USD"), ZoneOffset.UTC);
    }

    /** A backend as its row shows it. */
    public record BackendRow(UUID id, String name, String kind, String baseUrl, String apiKeyEnv, String maxInFlight,
            String maxWaiting, String healthUrl, String metricsUrl, boolean draining) {

        static BackendRow of(BackendCatalog.StoredBackend b) {
            return new BackendRow(b.id(), b.name(), b.kind(), b.baseUrl(), text(b.apiKeyEnv()),
                    b.maxInFlight() == null ? "no limit" : b.maxInFlight().toString(),
                    b.maxWaiting() == null ? "" : b.maxWaiting().toString(), text(b.healthUrl()),
                    text(b.metricsUrl()), b.draining());
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** A routed model, its backends written out in priority order. */
    public record RouteRow(String model, String strategy, List<String> backends) {

        static RouteRow of(BackendCatalog.ModelRoute route) {
            return new RouteRow(route.model(), route.strategy().replace('_', ' '), route.backends().stream()
                    .map(entry -> entry.backend() + " (priority " + entry.priority() + ", weight " + entry.weight()
                            + (entry.backendModel() == null ? "" : ", as " + entry.backendModel())
                            + (entry.draining() ? ", draining" : "") + ")")
                    .toList());
        }
    }

    /** The backend form's fields as posted, read once for adding and for changing a backend. */
    public static class BackendFields {

        @RestForm
        String name;

        @RestForm
        String kind;

        @RestForm
        String baseUrl;

        @RestForm
        String apiKeyEnv;

        @RestForm
        String maxInFlight;

        @RestForm
        String maxWaiting;

        @RestForm
        String healthUrl;

        @RestForm
        String metricsUrl;

        BackendForm form(UUID id) {
            return new BackendForm(id, name, kind, baseUrl, apiKeyEnv, maxInFlight, maxWaiting, healthUrl, metricsUrl);
        }
    }

    /**
     * What was typed into the backend form, shown again when it is refused.
     *
     * @param id the backend being changed; null when the form adds one
     */
    public record BackendForm(UUID id, String name, String kind, String baseUrl, String apiKeyEnv,
            String maxInFlight, String maxWaiting, String healthUrl, String metricsUrl) {

        static final BackendForm EMPTY = new BackendForm(null, "", "vllm", "", "", "", "", "", "");

        static BackendForm of(BackendCatalog.StoredBackend b) {
            return new BackendForm(b.id(), b.name(), b.kind(), b.baseUrl(), text(b.apiKeyEnv()),
                    b.maxInFlight() == null ? "" : b.maxInFlight().toString(),
                    b.maxWaiting() == null ? "" : b.maxWaiting().toString(), text(b.healthUrl()),
                    text(b.metricsUrl()));
        }

        BackendSpec spec() {
            return new BackendSpec(name, baseUrl, kind, apiKeyEnv, number("maxInFlight", maxInFlight),
                    number("maxWaiting", maxWaiting), healthUrl, metricsUrl);
        }
    }

    /** What was typed into the route form, shown again when it is refused. */
    public record RouteForm(String model, String strategy, String backends) {

        static final RouteForm EMPTY = new RouteForm("", "priority", "");
    }

    /** The system state, every number formatted for the viewer. */
    public record SystemView(String at, TopicView usage, TopicView deadLetters, String deadLettersKept,
            String unpricedEvents, List<SystemState.BackendHealth> backends, List<SpoolRow> spools) {

        static SystemView of(SystemState.Snapshot s, ViewerFormat format) {
            return new SystemView(format.dateTime(s.at()), TopicView.of(s.usageLag(), format),
                    TopicView.of(s.deadLetters(), format),
                    s.deadLettersKept() < 0 ? "not known" : format.count(s.deadLettersKept()),
                    format.count(s.unpricedEvents()), s.backends(),
                    s.spools().stream().map(spool -> new SpoolRow(spool.metricsUrl().toString(),
                            spool.depth() == null ? "not read: " + spool.problem() : format.count(spool.depth())))
                            .toList());
        }
    }

    /** A consumer group's lag on a topic; {@code problem} is set when Kafka could not tell. */
    public record TopicView(String topic, String group, List<PartitionRow> partitions, String total,
            String problem) {

        static TopicView of(SystemState.TopicLag lag, ViewerFormat format) {
            return new TopicView(lag.topic(), lag.group(), lag.partitions().stream()
                    .map(p -> new PartitionRow(p.partition(), format.count(p.endOffset()),
                            p.committedOffset() == null ? "none" : format.count(p.committedOffset()),
                            format.count(p.lag())))
                    .toList(), format.count(lag.total()), lag.problem());
        }
    }

    /** One partition's offsets and lag. */
    public record PartitionRow(int partition, String end, String committed, String lag) {
    }

    /** One gateway's spool depth, or why it could not be read. */
    public record SpoolRow(String metricsUrl, String depth) {
    }
}
