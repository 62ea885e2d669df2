package io.tollbooth.portal.pricing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tollbooth.metering.pricebook.Change;
import io.tollbooth.metering.pricebook.ClientPricing;
import io.tollbooth.metering.pricebook.CostPrices;
import io.tollbooth.metering.pricebook.LiteLlmPriceTable;
import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.pricebook.SelfHostedCost;
import io.tollbooth.metering.pricebook.StoredMarkup;
import io.tollbooth.metering.pricebook.StoredPrice;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.tenant.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's price book as the admin API and the pages see it: cost prices with the span each is in force,
 * LiteLLM imports with what they changed, self-hosted cost bases, a client's markups and own prices, and a client's
 * margins. Every change goes through metering's books ({@link CostPrices}, {@link ClientPricing}), so it is checked
 * by the same price sanity check whichever way it arrives.
 */
@ApplicationScoped
public class PriceBookDesk {

    // Every basis with the two cost prices derived from it.
    private static final String BASES = """
            SELECT b.id, m.name, b.node, b.cost_per_hour, b.currency, b.input_tokens_per_second,
                   b.output_tokens_per_second, b.effective_from, b.created_by, b.created_at,
                   (SELECT c.unit_price FROM cost_price c WHERE c.basis_id = b.id AND c.unit = 'input'),
                   (SELECT c.unit_price FROM cost_price c WHERE c.basis_id = b.id AND c.unit = 'output')
              FROM self_hosted_cost_basis b JOIN model m ON m.id = b.model_id
             WHERE b.operator_id = ?1
             ORDER BY m.name, b.effective_from, b.created_at, b.id
            """;

    // A client's rated charge and cost per model over [from, to): the cost only where a cost price was known.
    private static final String MARGINS = """
            SELECT m.name, r.currency, count(DISTINCT r.usage_event_id), sum(r.amount),
                   coalesce(sum(r.amount) FILTER (WHERE r.cost_amount IS NOT NULL), 0),
                   coalesce(sum(r.cost_amount), 0), count(r.cost_amount)
              FROM rated_usage r JOIN model m ON m.id = r.model_id
             WHERE r.client_id = ?1 AND r.occurred_at >= ?2 AND r.occurred_at < ?3
             GROUP BY m.name, r.currency
             ORDER BY m.name, r.currency
            """;

    @Inject
    CostPrices costPrices;

    @Inject
    ClientPricing clientPricing;

    @Inject
    EntityManager entityManager;

    @Inject
    Clock clock;

    @Inject
    PlanMoves planMoves;

    /**
     * A cost price with the span it is in force.
     *
     * @param until when the next price of the same model, unit and tier takes over; null while none is entered
     * @param state {@code scheduled}, {@code in force}, {@code past} or {@code corrected} (replaced by a row
     *     entered later for the same instant)
     */
    public record CostRow(StoredPrice stored, Instant until, String state) {
    }

    /** Every cost price of the operator, by model, unit, tier and time; 404 without the operator. */
    public List<CostRow> costPrices(UUID operatorId) throws SQLException {
        operator(operatorId);
        return spans(costPrices.list(operatorId), clock.instant());
    }

    /** Adds cost prices typed in by {@code actor}, checked against the previous ones and LiteLLM's list prices. */
    public List<StoredPrice> addCostPrices(UUID operatorId, List<NewPrice> prices, boolean confirm, String actor)
            throws SQLException {
        operator(operatorId);
        return costPrices.add(operatorId, prices, CostPrices.MANUAL, change(actor, confirm));
    }

    /**
     * What an import did to one price.
     *
     * @param previous the cost in force at the import's instant before it; null if there was none
     * @param outcome {@code new}, {@code changed} or {@code unchanged}
     */
    public record ImportedPrice(StoredPrice stored, String entry, BigDecimal previous, String outcome) {
    }

    /**
     * Imports LiteLLM's list prices of the operator's models. Without {@code entries}, every model of the catalogue
     * whose name is an entry of the table is imported; with them, each named model from the named entry.
     *
     * @param entries our model name to the table's entry name; empty to match by name
     * @param effectiveFrom when the prices apply from; null for now
     * @throws AdminException invalid request when the table is not one, or when no model matches
     */
    public List<ImportedPrice> importLiteLlm(UUID operatorId, InputStream json, Map<String, String> entries,
            Instant effectiveFrom, boolean confirm, String actor) throws SQLException {
        operator(operatorId);
        Change change = change(actor, confirm);
        Instant from = effectiveFrom == null ? change.at() : effectiveFrom;
        LiteLlmPriceTable table = readTable(json);
        Map<String, String> chosen = entries.isEmpty() ? sameNames(operatorId, table, from) : entries;
        if (chosen.isEmpty()) {
            throw AdminException.invalid("no model of the operator's catalogue is an entry of the table; name the"
                    + " entry of each model to import");
        }
        List<CostRow> before = spans(costPrices.list(operatorId), from);
        List<StoredPrice> written = costPrices.importLiteLlm(operatorId, table, chosen, from, change);
        return written.stream().map(price -> imported(price, chosen.get(price.model()), before)).toList();
    }

    /**
     * A self-hosted cost basis with the cost prices derived from it.
     *
     * @param inputPerMillion the derived input cost per 1M tokens, as stored
     * @param outputPerMillion the derived output cost per 1M tokens, as stored
     */
    public record Basis(UUID id, String model, String node, BigDecimal costPerHour, String currency,
            BigDecimal inputTokensPerSecond, BigDecimal outputTokensPerSecond, Instant effectiveFrom,
            BigDecimal inputPerMillion, BigDecimal outputPerMillion, String createdBy, Instant createdAt) {
    }

    /** Every self-hosted cost basis of the operator, by model and time; 404 without the operator. */
    @SuppressWarnings("unchecked")
    public List<Basis> selfHostedCosts(UUID operatorId) {
        operator(operatorId);
        List<Object[]> rows = read(() -> entityManager.createNativeQuery(BASES).setParameter(1, operatorId)
                .getResultList());
        return rows.stream().map(row -> new Basis((UUID) row[0], (String) row[1], (String) row[2],
                (BigDecimal) row[3], ((String) row[4]).trim(), (BigDecimal) row[5], (BigDecimal) row[6],
                instant(row[7]), (BigDecimal) row[10], (BigDecimal) row[11], (String) row[8], instant(row[9])))
                .toList();
    }

    /** Derives a self-hosted model's cost per 1M tokens from its basis and adds it; the basis as stored. */
    public Basis addSelfHostedCost(UUID operatorId, SelfHostedCost basis, boolean confirm, String actor)
            throws SQLException {
        operator(operatorId);
        Change change = change(actor, confirm);
        costPrices.addSelfHosted(operatorId, basis, change);
        return selfHostedCosts(operatorId).stream()
                .filter(b -> b.model().equals(basis.model()) && b.effectiveFrom().equals(basis.effectiveFrom())
                        && b.createdAt().equals(change.at()))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("the basis just written is not there"));
    }

    /**
     * How a client is priced: its plan, its own prices (which come first) and its markups over cost (which price
     * what neither prices).
     */
    public record ClientBook(Client client, PricePlan plan, List<PlanPriceRow> planPrices, List<StoredPrice> prices,
            List<StoredMarkup> markups) {
    }

    /** A price of the client's plan with its model's name. */
    public record PlanPriceRow(String model, String unit, BigDecimal unitPrice, String currency,
            Instant effectiveFrom) {
    }

    /** The client's price book; 404 without the client. */
    public ClientBook clientBook(UUID clientId) throws SQLException {
        Client client = client(clientId);
        UUID current = planMoves.planAt(client, clock.instant());
        PricePlan plan = read(() -> PricePlan.findById(current));
        List<PlanPriceRow> planPrices = read(() -> planPrices(client.operatorId, plan.id));
        return new ClientBook(client, plan, planPrices, clientPricing.prices(clientId),
                clientPricing.markups(clientId));
    }

    private static List<PlanPriceRow> planPrices(UUID operatorId, UUID planId) {
        Map<UUID, String> models = Model.<Model>list("operatorId", operatorId).stream()
                .collect(Collectors.toMap(m -> m.id, m -> m.name));
        return Price.listByPlan(planId).stream()
                .map(p -> new PlanPriceRow(models.get(p.modelId), p.tokenKind.code(), p.pricePerMillion, p.currency,
                        p.effectiveFrom))
                .sorted(Comparator.comparing(PlanPriceRow::model).thenComparing(PlanPriceRow::effectiveFrom))
                .toList();
    }

    /** Sets the client's markup over cost from {@code effectiveFrom}. */
    public StoredMarkup setMarkup(UUID clientId, BigDecimal percent, Instant effectiveFrom, String actor)
            throws SQLException {
        client(clientId);
        return clientPricing.setMarkup(clientId, percent, effectiveFrom, change(actor, false));
    }

    /** Adds prices of the client's own, in its currency, checked like every price. */
    public List<StoredPrice> addClientPrices(UUID clientId, List<NewPrice> prices, boolean confirm, String actor)
            throws SQLException {
        client(clientId);
        return clientPricing.addPrices(clientId, prices, change(actor, confirm));
    }

    /**
     * A client's charge and the operator's cost of one model (or of all, for the total) over some days, exact.
     *
     * @param events usage events rated
     * @param revenue what the client was charged, in {@code currency}
     * @param costedRevenue the part of {@code revenue} whose cost is known
     * @param cost the operator's cost of that part, in {@code costCurrency}
     * @param uncostedRevenue the part charged for usage without a cost price: its margin is unknown
     * @param margin {@code costedRevenue - cost}; null when no usage of the model had a known cost, or when the
     *     client pays in another currency than the operator's costs are in (there are no exchange rates)
     */
    public record ModelMargin(String model, long events, BigDecimal revenue, BigDecimal costedRevenue,
            BigDecimal cost, BigDecimal uncostedRevenue, BigDecimal margin) {
    }

    /**
     * A client's margins over the local days [{@code from}, {@code to}] of its time zone.
     *
     * @param comparable whether the client's currency is the operator's cost currency, so margins exist
     */
    public record Margins(Client client, String currency, String costCurrency, LocalDate from, LocalDate to,
            List<ModelMargin> models, ModelMargin total, boolean comparable) {
    }

    /** The client's margins per model over its local days {@code from} to {@code to}, both included. */
    @SuppressWarnings("unchecked")
    public Margins margins(UUID clientId, LocalDate from, LocalDate to) {
        Client client = client(clientId);
        Operator operator = operator(client.operatorId);
        String costCurrency = operator.currency.trim();
        String currency = client.currency.trim();
        boolean comparable = currency.equals(costCurrency);
        ZoneId zone = client.zoneId();
        List<Object[]> rows = read(() -> entityManager.createNativeQuery(MARGINS)
                .setParameter(1, clientId)
                .setParameter(2, from.atStartOfDay(zone).toOffsetDateTime())
                .setParameter(3, to.plusDays(1).atStartOfDay(zone).toOffsetDateTime())
                .getResultList());
        List<ModelMargin> models = new ArrayList<>();
        for (Object[] row : rows) {
            BigDecimal revenue = (BigDecimal) row[3];
            BigDecimal costedRevenue = (BigDecimal) row[4];
            BigDecimal cost = (BigDecimal) row[5];
            boolean costed = ((Number) row[6]).longValue() > 0;
            models.add(new ModelMargin((String) row[0], ((Number) row[2]).longValue(), revenue, costedRevenue, cost,
                    revenue.subtract(costedRevenue), comparable && costed ? costedRevenue.subtract(cost) : null));
        }
        return new Margins(client, currency, costCurrency, from, to, models, total(models, comparable), comparable);
    }

    /** Every client's margins over the month {@code month} of its own time zone, clients by name. */
    public List<Margins> operatorMargins(UUID operatorId, YearMonth month) {
        operator(operatorId);
        return read(() -> Client.listByOperator(operatorId)).stream()
                .sorted(Comparator.comparing((Client client) -> client.name).thenComparing(client -> client.slug))
                .map(client -> margins(client.id, month.atDay(1), month.atEndOfMonth()))
                .toList();
    }

    private static ModelMargin total(List<ModelMargin> models, boolean comparable) {
        BigDecimal revenue = sum(models, ModelMargin::revenue);
        BigDecimal costed = sum(models, ModelMargin::costedRevenue);
        BigDecimal cost = sum(models, ModelMargin::cost);
        boolean anyCosted = models.stream().anyMatch(m -> m.margin() != null);
        return new ModelMargin(null, models.stream().mapToLong(ModelMargin::events).sum(), revenue, costed, cost,
                revenue.subtract(costed), comparable && anyCosted ? costed.subtract(cost) : null);
    }

    private static BigDecimal sum(List<ModelMargin> models, Function<ModelMargin, BigDecimal> of) {
        return models.stream().map(of).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Marks each row with the span it is in force as of {@code now}; corrected rows are never in force. */
    static List<CostRow> spans(List<StoredPrice> rows, Instant now) {
        Map<String, List<StoredPrice>> histories = new LinkedHashMap<>();
        for (StoredPrice row : rows) {
            if (row.correctedBy() == null) {
                histories.computeIfAbsent(key(row.price()), k -> new ArrayList<>()).add(row);
            }
        }
        Map<UUID, Instant> until = new TreeMap<>();
        for (List<StoredPrice> history : histories.values()) {
            history.sort(Comparator.comparing(row -> row.price().effectiveFrom()));
            for (int i = 0; i + 1 < history.size(); i++) {
                until.put(history.get(i).price().id(), history.get(i + 1).price().effectiveFrom());
            }
        }
        return rows.stream().map(row -> {
            Instant end = until.get(row.price().id());
            String state = row.correctedBy() != null ? "corrected"
                    : row.price().effectiveFrom().isAfter(now) ? "scheduled"
                    : end != null && !end.isAfter(now) ? "past" : "in force";
            return new CostRow(row, end, state);
        }).toList();
    }

    private static String key(io.tollbooth.metering.rating.Price price) {
        return price.modelId() + " " + price.unit() + " " + price.longContextOver();
    }

    private static ImportedPrice imported(StoredPrice price, String entry, List<CostRow> before) {
        Optional<BigDecimal> previous = before.stream()
                .filter(row -> "in force".equals(row.state()) && key(row.stored().price()).equals(key(price.price())))
                .map(row -> row.stored().price().unitPrice())
                .findFirst();
        String outcome = previous.isEmpty() ? "new"
                : previous.get().compareTo(price.price().unitPrice()) == 0 ? "unchanged" : "changed";
        return new ImportedPrice(price, entry, previous.orElse(null), outcome);
    }

    private Map<String, String> sameNames(UUID operatorId, LiteLlmPriceTable table, Instant effectiveFrom) {
        Map<String, String> entries = new TreeMap<>();
        for (Model model : read(() -> Model.<Model>list("operatorId", operatorId))) {
            if (table.prices(model.name, model.name, effectiveFrom).isPresent()) {
                entries.put(model.name, model.name);
            }
        }
        return entries;
    }

    private static LiteLlmPriceTable readTable(InputStream json) {
        try {
            return LiteLlmPriceTable.read(json);
        } catch (IOException e) {
            throw AdminException.invalid("the file is not LiteLLM's model price table (JSON): "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private Change change(String actor, boolean confirm) {
        return new Change(actor, clock.instant().truncatedTo(ChronoUnit.MICROS), confirm);
    }

    private static Operator operator(UUID operatorId) {
        return read(() -> Operator.<Operator>findByIdOptional(operatorId))
                .orElseThrow(() -> AdminException.notFound("operator", operatorId));
    }

    private static Client client(UUID clientId) {
        return read(() -> Client.<Client>findByIdOptional(clientId))
                .orElseThrow(() -> AdminException.notFound("client", clientId));
    }

    /**
     * Reads the control plane's own records in the caller's transaction or a short one of its own. Metering's books
     * are called outside any: they commit their own transactions on their own connections.
     */
    private static <T> T read(java.util.concurrent.Callable<T> work) {
        return QuarkusTransaction.joiningExisting().call(work);
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime time ? time.toInstant() : (Instant) value;
    }
}
