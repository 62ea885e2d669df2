package io.tollbooth.portal.routing;

import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.query.NativeQuery;
import org.jboss.logging.Logger;

/**
 * An operator's backends and the routes of its models to them (tables {@code backend}, {@code model_route} and
 * {@code model_strategy}), as the admin API and the pages change them. The gateway reads the same tables: every
 * replica sees a route within its model cache TTL and a drain flag within its backend poll interval. Every check is
 * made here, so that the API and the pages refuse the same input with the same words. Callers run it in a
 * transaction.
 */
@ApplicationScoped
public class BackendCatalog {

    private static final Logger LOG = Logger.getLogger(BackendCatalog.class);

    /** Backend names travel in usage events, metrics and logs: no spaces, nothing to quote. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** An environment variable's name; a key pasted here by mistake (lower case, hyphens) does not pass. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
    private static final int MAX_MODEL_NAME = 200;

    private static final String BACKEND_COLUMNS = """
            id, operator_id, name, base_url, kind, api_key_env, max_in_flight, max_waiting, health_url, metrics_url,
            draining, created_at""";
    private static final String ROUTES = """
            SELECT r.model_name, coalesce(s.strategy, 'priority'), r.backend_id, b.name, r.priority, r.weight,
                   r.backend_model, b.draining
              FROM model_route r
              JOIN backend b ON b.id = r.backend_id
              LEFT JOIN model_strategy s ON s.operator_id = r.operator_id AND s.model_name = r.model_name
             WHERE r.operator_id = ?1
            """;

    @Inject
    EntityManager entityManager;

    /**
     * What an operator says about a backend. Optional values are null when absent.
     *
     * @param apiKeyEnv the name of the gateway's environment variable that holds the backend's key, never the key
     * @param maxInFlight the most requests one gateway replica sends it at once
     * @param maxWaiting vLLM's waiting queue above which it is passed over; needs {@code metricsUrl}
     */
    public record BackendSpec(String name, String baseUrl, String kind, String apiKeyEnv, Integer maxInFlight,
            Integer maxWaiting, String healthUrl, String metricsUrl) {
    }

    /** A stored backend. */
    public record StoredBackend(UUID id, UUID operatorId, String name, String baseUrl, String kind, String apiKeyEnv,
            Integer maxInFlight, Integer maxWaiting, String healthUrl, String metricsUrl, boolean draining,
            Instant createdAt) {
    }

    /**
     * One backend a model is sent to.
     *
     * @param priority lower is tried first; unique within the model
     * @param weight the share under the weighted strategy, at least 1
     * @param backendModel the name the backend knows the model by; null to send the caller's
     */
    public record Target(UUID backendId, int priority, int weight, String backendModel) {
    }

    /** A model's routing: its strategy and its backends by priority. */
    public record ModelRoute(String model, String strategy, List<RouteEntry> backends) {
    }

    /** A route of a model, with the backend's name and drain flag. */
    public record RouteEntry(UUID backendId, String backend, int priority, int weight, String backendModel,
            boolean draining) {
    }

    /** The operator's backends by name; 404 without the operator. */
    public List<StoredBackend> backends(UUID operatorId) {
        operator(operatorId);
        return backendsWhere("operator_id = ?1 ORDER BY name", operatorId);
    }

    /** Every backend of every operator, by operator and name. */
    public List<StoredBackend> allBackends() {
        return backendsWhere("true ORDER BY operator_id, name", null);
    }

    public StoredBackend backend(UUID id) {
        return find(id).orElseThrow(() -> AdminException.notFound("backend", id));
    }

    /** Adds a backend; 404 without the operator, 409 when the operator has one of that name. */
    public StoredBackend create(UUID operatorId, BackendSpec spec, String actor) {
        operator(operatorId);
        BackendSpec clean = checked(spec);
        requireFreeName(operatorId, clean.name(), null);
        UUID id = UUID.randomUUID();
        Query insert = entityManager.createNativeQuery("""
                INSERT INTO backend (id, operator_id, name, base_url, kind, api_key_env, max_in_flight, max_waiting,
                                     health_url, metrics_url)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)""").setParameter(1, id).setParameter(2, operatorId);
        bind(insert, 3, clean).executeUpdate();
        LOG.infof("backend_created operator=%s backend=%s kind=%s url=%s actor=%s", operatorId, clean.name(),
                clean.kind(), clean.baseUrl(), actor);
        return backend(id);
    }

    /** Replaces what is said about a backend (its drain flag stays); 409 when the new name is taken. */
    public StoredBackend update(UUID id, BackendSpec spec, String actor) {
        StoredBackend current = backend(id);
        BackendSpec clean = checked(spec);
        requireFreeName(current.operatorId(), clean.name(), id);
        Query update = entityManager.createNativeQuery("""
                UPDATE backend SET name = ?3, base_url = ?4, kind = ?5, api_key_env = ?6, max_in_flight = ?7,
                                   max_waiting = ?8, health_url = ?9, metrics_url = ?10
                 WHERE id = ?1 AND operator_id = ?2""").setParameter(1, id).setParameter(2, current.operatorId());
        bind(update, 3, clean).executeUpdate();
        LOG.infof("backend_updated operator=%s backend=%s kind=%s url=%s actor=%s", current.operatorId(),
                clean.name(), clean.kind(), clean.baseUrl(), actor);
        return backend(id);
    }

    /** Removes a backend that no model is routed to; 409 names the models that still use it. */
    public void delete(UUID id, String actor) {
        StoredBackend backend = backend(id);
        @SuppressWarnings("unchecked")
        List<String> models = entityManager.createNativeQuery(
                        "SELECT model_name FROM model_route WHERE backend_id = ?1 ORDER BY model_name")
                .setParameter(1, id).getResultList();
        if (!models.isEmpty()) {
            throw AdminException.conflict("backend '" + backend.name() + "' serves " + String.join(", ", models)
                    + "; route those models elsewhere first");
        }
        entityManager.createNativeQuery("DELETE FROM backend WHERE id = ?1").setParameter(1, id).executeUpdate();
        LOG.infof("backend_deleted operator=%s backend=%s actor=%s", backend.operatorId(), backend.name(), actor);
    }

    /**
     * Sets or clears the drain flag: a drained backend gets no new requests from any gateway replica once each has
     * polled, while the requests it already has finish.
     */
    public StoredBackend drain(UUID id, boolean draining, String actor) {
        StoredBackend backend = backend(id);
        entityManager.createNativeQuery("UPDATE backend SET draining = ?2 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, draining).executeUpdate();
        LOG.infof("backend_%s operator=%s backend=%s actor=%s", draining ? "drained" : "undrained",
                backend.operatorId(), backend.name(), actor);
        return backend(id);
    }

    /** Every routed model of the operator, by name, each with its backends by priority; 404 without it. */
    public List<ModelRoute> routes(UUID operatorId) {
        operator(operatorId);
        return routesWhere(operatorId, null);
    }

    /** One model's routing; 404 when the model has no route. */
    public ModelRoute route(UUID operatorId, String model) {
        operator(operatorId);
        List<ModelRoute> routes = routesWhere(operatorId, model);
        if (routes.isEmpty()) {
            throw new AdminException(AdminError.NOT_FOUND,
                    "model '" + model + "' has no route; the gateway's configured backend serves it");
        }
        return routes.get(0);
    }

    /**
     * Replaces a model's routes and strategy in one transaction, so a gateway never reads half a change. A backend
     * that is not the operator's is a 404; duplicate backends or priorities, a weight below 1, an unknown strategy
     * or no backend at all are a 400.
     */
    public ModelRoute replaceRoute(UUID operatorId, String model, String strategy, List<Target> targets,
            String actor) {
        operator(operatorId);
        String chosen = strategy == null || strategy.isBlank() ? RouteStrategy.PRIORITY.code() : strategy.strip();
        checkRoute(model, chosen, targets);
        Set<UUID> own = backends(operatorId).stream().map(StoredBackend::id).collect(Collectors.toSet());
        for (Target target : targets) {
            if (!own.contains(target.backendId())) {
                throw AdminException.notFound("backend", target.backendId());
            }
        }
        removeRoute(operatorId, model);
        for (Target target : targets) {
            entityManager.createNativeQuery("""
                    INSERT INTO model_route (operator_id, model_name, backend_id, priority, weight, backend_model)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6)""")
                    .setParameter(1, operatorId).setParameter(2, model).setParameter(3, target.backendId())
                    .setParameter(4, target.priority()).setParameter(5, target.weight())
                    .unwrap(NativeQuery.class).setParameter(6, blankToNull(target.backendModel()), String.class)
                    .executeUpdate();
        }
        entityManager.createNativeQuery(
                        "INSERT INTO model_strategy (operator_id, model_name, strategy) VALUES (?1, ?2, ?3)")
                .setParameter(1, operatorId).setParameter(2, model).setParameter(3, chosen).executeUpdate();
        LOG.infof("model_routed operator=%s model=%s strategy=%s backends=%d actor=%s", operatorId, model, chosen,
                targets.size(), actor);
        return route(operatorId, model);
    }

    /** Removes a model's routes: the gateway's configured backend serves it again. 404 when it had none. */
    public void deleteRoute(UUID operatorId, String model, String actor) {
        route(operatorId, model);
        removeRoute(operatorId, model);
        LOG.infof("model_unrouted operator=%s model=%s actor=%s", operatorId, model, actor);
    }

    private void removeRoute(UUID operatorId, String model) {
        for (String table : List.of("model_route", "model_strategy")) {
            entityManager.createNativeQuery("DELETE FROM " + table + " WHERE operator_id = ?1 AND model_name = ?2")
                    .setParameter(1, operatorId).setParameter(2, model).executeUpdate();
        }
    }

    private static void checkRoute(String model, String strategy, List<Target> targets) {
        Checks checks = new Checks();
        checks.require(model != null && !model.isBlank() && model.length() <= MAX_MODEL_NAME
                && model.equals(model.strip()), "model", "must be 1 to 200 characters without surrounding spaces");
        checks.require(RouteStrategy.known(strategy), "strategy",
                "must be one of " + String.join(", ", RouteStrategy.codes()));
        checks.require(targets != null && !targets.isEmpty(), "backends",
                "must name at least one backend; delete the route to use the gateway's configured backend");
        Set<UUID> backends = new HashSet<>();
        Set<Integer> priorities = new HashSet<>();
        for (int i = 0; targets != null && i < targets.size(); i++) {
            Target target = targets.get(i);
            String at = "backends[" + i + "]";
            if (target == null || target.backendId() == null) {
                checks.fail(at + ".backendId", "is required");
                continue;
            }
            checks.require(backends.add(target.backendId()), at + ".backendId",
                    "backend " + target.backendId() + " is listed twice");
            checks.require(priorities.add(target.priority()), at + ".priority",
                    "priority " + target.priority() + " is given twice; each backend of a model needs its own");
            checks.require(target.priority() >= 0, at + ".priority", "must be 0 or more");
            checks.require(target.weight() >= 1, at + ".weight", "must be 1 or more");
            checks.require(target.backendModel() == null || target.backendModel().length() <= MAX_MODEL_NAME,
                    at + ".backendModel", "must be at most 200 characters");
        }
        checks.throwIfInvalid();
    }

    private static BackendSpec checked(BackendSpec spec) {
        Checks checks = new Checks();
        String name = strip(spec.name());
        checks.require(name != null && NAME.matcher(name).matches(), "name",
                "must be 1 to 100 letters, digits, dots, underscores or hyphens, starting with a letter or digit");
        checks.url(spec.baseUrl(), "baseUrl", false);
        String kind = strip(spec.kind());
        checks.require(kind != null && BackendKind.known(kind), "kind",
                "must be one of " + String.join(", ", BackendKind.codes()));
        String keyEnv = blankToNull(spec.apiKeyEnv());
        checks.require(keyEnv == null || ENV_NAME.matcher(keyEnv).matches(), "apiKeyEnv",
                "must name an environment variable of the gateway (such as OPENAI_API_KEY), never hold the key");
        checks.require(spec.maxInFlight() == null || spec.maxInFlight() > 0, "maxInFlight", "must be 1 or more");
        checks.require(spec.maxWaiting() == null || spec.maxWaiting() >= 0, "maxWaiting", "must be 0 or more");
        checks.url(spec.healthUrl(), "healthUrl", true);
        checks.url(spec.metricsUrl(), "metricsUrl", true);
        checks.require(spec.maxWaiting() == null || blankToNull(spec.metricsUrl()) != null, "maxWaiting",
                "needs metricsUrl, where the gateway reads vLLM's waiting queue");
        checks.throwIfInvalid();
        return new BackendSpec(name, spec.baseUrl().strip(), kind, keyEnv, spec.maxInFlight(), spec.maxWaiting(),
                blankToNull(spec.healthUrl()), blankToNull(spec.metricsUrl()));
    }

    private void requireFreeName(UUID operatorId, String name, UUID except) {
        boolean taken = backendsWhere("operator_id = ?1 AND name = ?2", operatorId, name).stream()
                .anyMatch(backend -> !backend.id().equals(except));
        if (taken) {
            throw AdminException.conflict("the operator already has a backend named '" + name + "'");
        }
    }

    /** Binds the spec from parameter {@code first} on, each with its type, so that a null is a typed null. */
    @SuppressWarnings("unchecked")
    private static Query bind(Query query, int first, BackendSpec spec) {
        NativeQuery<Object> typed = query.unwrap(NativeQuery.class);
        typed.setParameter(first, spec.name(), String.class);
        typed.setParameter(first + 1, spec.baseUrl(), String.class);
        typed.setParameter(first + 2, spec.kind(), String.class);
        typed.setParameter(first + 3, spec.apiKeyEnv(), String.class);
        typed.setParameter(first + 4, spec.maxInFlight(), Integer.class);
        typed.setParameter(first + 5, spec.maxWaiting(), Integer.class);
        typed.setParameter(first + 6, spec.healthUrl(), String.class);
        typed.setParameter(first + 7, spec.metricsUrl(), String.class);
        return query;
    }

    private Optional<StoredBackend> find(UUID id) {
        return backendsWhere("id = ?1", id).stream().findFirst();
    }

    @SuppressWarnings("unchecked")
    private List<StoredBackend> backendsWhere(String condition, Object... parameters) {
        Query query = entityManager.createNativeQuery("SELECT " + BACKEND_COLUMNS + " FROM backend WHERE "
                + condition);
        for (int i = 0; parameters != null && i < parameters.length; i++) {
            if (parameters[i] != null) {
                query.setParameter(i + 1, parameters[i]);
            }
        }
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(BackendCatalog::stored).toList();
    }

    @SuppressWarnings("unchecked")
    private List<ModelRoute> routesWhere(UUID operatorId, String model) {
        Query query = entityManager.createNativeQuery(ROUTES + (model == null ? "" : " AND r.model_name = ?2")
                + " ORDER BY r.model_name, r.priority").setParameter(1, operatorId);
        if (model != null) {
            query.setParameter(2, model);
        }
        List<Object[]> rows = query.getResultList();
        Map<String, List<Object[]>> byModel = rows.stream().collect(Collectors.groupingBy(row -> (String) row[0],
                LinkedHashMap::new, Collectors.toList()));
        return byModel.entrySet().stream().map(entry -> new ModelRoute(entry.getKey(),
                (String) entry.getValue().get(0)[1], entry.getValue().stream()
                        .map(row -> new RouteEntry((UUID) row[2], (String) row[3], ((Number) row[4]).intValue(),
                                ((Number) row[5]).intValue(), (String) row[6], (Boolean) row[7]))
                        .toList())).toList();
    }

    private static StoredBackend stored(Object[] row) {
        return new StoredBackend((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3], (String) row[4],
                (String) row[5], integer(row[6]), integer(row[7]), (String) row[8], (String) row[9],
                (Boolean) row[10], instant(row[11]));
    }

    private static void operator(UUID operatorId) {
        Operator.<Operator>findByIdOptional(operatorId)
                .orElseThrow(() -> AdminException.notFound("operator", operatorId));
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime time ? time.toInstant() : (Instant) value;
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
