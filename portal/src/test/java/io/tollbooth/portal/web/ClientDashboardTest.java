package io.tollbooth.portal.web;

import static io.tollbooth.portal.web.InvoicedClient.operator;
import static io.tollbooth.portal.web.InvoicedClient.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import io.tollbooth.portal.UsageEvents.Request;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

/**
 * The dashboard of a client in EUR and Europe/Berlin, read as its admin sees it after signing in: the page's budget
 * and response times, and the JSON its charts draw, with every value exact. The control plane's clock stands at
 * 2026-12-15 11:00 in Berlin, day 15 of 31.
 *
 * <p>Prices: 2.00 per million input and 8.00 per million output tokens, for both models. December (Berlin):
 * <ul>
 *   <li>Dec 1 00:30 (Nov 30 23:30 UTC), dash-a, key alpha: 1,000,000 in = 2.00; 100 ms, first token 10 ms</li>
 *   <li>Dec 10, dash-a, key beta: 500,000 in + 250,000 out = 3.00; 200 ms, 20 ms</li>
 *   <li>Dec 10, dash-b, key alpha: 250,000 in + 125,000 out = 1.50; 300 ms, not streamed</li>
 *   <li>Dec 15, dash-b, key beta: 1,000 in + 1,001 out = 0.010008; 1,000 ms, 40 ms</li>
 * </ul>
 * November: Nov 5, dash-b, beta, 1,000,000 out = 8.00; Nov 30 23:30 (22:30 UTC), dash-a, alpha, 2,000,000 in = 4.00,
 * 5,000 ms, which is November's and so in no December percentile. The budget is 20.00 a month.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class ClientDashboardTest {

    @TestHTTPResource("/portal")
    URL portal;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource database;

    @Test
    void showsBothPeriodsTheBudgetItsForecastAndResponseTimesInTheClientsZoneAndCurrency() throws Exception {
        String clientId = berlinClient();
        TestRealm.Credentials person = TestRealm.newPerson("client-admin", clientId);

        try (WebClient browser = ClientPagesTest.browser()) {
            HtmlPage dashboard = ClientPagesTest.signIn(browser.getPage(portal), person);
            assertThat(dashboard.getElementById("budget-summary").asNormalizedText()).isEqualTo("Budget €20.00: "
                    + "€6.51 spent, €13.49 left. At this pace the month ends at €13.45 on Dec 31, 2026.");
            assertThat(dashboard.getElementById("speed").asNormalizedText())
                    .contains("Latency\t200 ms\t1,000 ms\t1,000 ms", "Time to first token\t20 ms\t40 ms\t40 ms");
            assertThat(dashboard.getElementById("days").asNormalizedText())
                    .contains("Dec 1, 2026\t1\t1,000,000\t€2.00", "Dec 10, 2026\t2\t1,125,000\t€4.50");

            JsonPath data = JsonPath.from(browser.getPage(new URL(portal, "/portal/dashboard.json"))
                    .getWebResponse().getContentAsString());
            assertThat(data.getString("currency")).isEqualTo("EUR");
            assertThat(data.getString("timeZone")).isEqualTo("Europe/Berlin");
            assertThat(data.getString("today")).isEqualTo("2026-12-15");
            assertCurrentPeriod(data);
            assertPreviousPeriod(data);
            assertBudget(data);
            assertThat(data.getMap("speed")).isEqualTo(Map.of("requests", 4,
                    "latencyMs", Map.of("p50", 200, "p95", 1000, "p99", 1000),
                    "timeToFirstTokenMs", Map.of("p50", 20, "p95", 40, "p99", 40)));
        }
    }

    private static void assertCurrentPeriod(JsonPath data) {
        assertThat(data.getString("current.month")).isEqualTo("2026-12");
        assertThat(data.getList("current.days")).hasSize(31).startsWith("2026-12-01").endsWith("2026-12-31");
        assertThat(data.getList("current.tokens"))
                .isEqualTo(december(Map.of(1, 1_000_000, 10, 1_125_000, 15, 2_001), 0));
        assertThat(data.getList("current.spend"))
                .isEqualTo(december(Map.of(1, "2.00", 10, "4.50", 15, "0.01"), "0.00"));
        assertThat(data.getLong("current.totalTokens")).isEqualTo(2_127_001L);
        assertThat(data.getString("current.totalSpend")).isEqualTo("6.51");

        assertThat(data.getList("current.byModel.name")).containsExactly("dash-a", "dash-b");
        assertThat(data.getList("current.byModel[0].tokens")).isEqualTo(december(Map.of(1, 1_000_000, 10, 750_000), 0));
        assertThat(data.getList("current.byModel[0].spend")).isEqualTo(december(Map.of(1, "2.00", 10, "3.00"), "0.00"));
        assertThat(data.getList("current.byModel[1].tokens")).isEqualTo(december(Map.of(10, 375_000, 15, 2_001), 0));
        assertThat(data.getList("current.byModel[1].spend"))
                .isEqualTo(december(Map.of(10, "1.50", 15, "0.01"), "0.00"));

        Map<String, Object> alpha = keySeries(data, "alpha");
        assertThat(alpha.get("tokens")).isEqualTo(december(Map.of(1, 1_000_000, 10, 375_000), 0));
        assertThat(alpha.get("spend")).isEqualTo(december(Map.of(1, "2.00", 10, "1.50"), "0.00"));
        Map<String, Object> beta = keySeries(data, "beta");
        assertThat(beta.get("tokens")).isEqualTo(december(Map.of(10, 750_000, 15, 2_001), 0));
        assertThat(beta.get("spend")).isEqualTo(december(Map.of(10, "3.00", 15, "0.01"), "0.00"));
    }

    private static void assertPreviousPeriod(JsonPath data) {
        assertThat(data.getString("previous.month")).isEqualTo("2026-11");
        assertThat(data.getList("previous.days")).hasSize(30).startsWith("2026-11-01").endsWith("2026-11-30");
        assertThat(data.getList("previous.tokens")).isEqualTo(days(30, 30, Map.of(5, 1_000_000, 30, 2_000_000), 0));
        assertThat(data.getList("previous.spend")).isEqualTo(days(30, 30, Map.of(5, "8.00", 30, "4.00"), "0.00"));
        assertThat(data.getString("previous.totalSpend")).isEqualTo("12.00");
        assertThat(data.getLong("previous.totalTokens")).isEqualTo(3_000_000L);
        assertThat(data.getList("previous.byModel.name")).containsExactly("dash-a", "dash-b");
    }

    /** Forecast of day d: 6.510008 × d / 15; day 20 is 8.68001…, day 31 is 13.454016… */
    private static void assertBudget(JsonPath data) {
        assertThat(data.getString("budget.amount")).isEqualTo("20.00");
        assertThat(data.getString("budget.spent")).isEqualTo("6.51");
        assertThat(data.getString("budget.remaining")).isEqualTo("13.49");
        assertThat(data.getString("budget.forecastSpend")).isEqualTo("13.45");
        assertThat(data.getString("budget.forecastRemaining")).isEqualTo("6.55");

        List<Object> spent = december(Map.of(), "2.00");
        for (int day = 10; day <= 14; day++) {
            spent.set(day - 1, "6.50");
        }
        spent.set(14, "6.51");
        assertThat(data.getList("budget.spentToDate")).isEqualTo(spent);
        List<Object> remaining = new ArrayList<>(spent.stream()
                .map(s -> s == null ? null : switch ((String) s) {
                    case "2.00" -> "18.00";
                    case "6.50" -> "13.50";
                    default -> "13.49";
                }).toList());
        assertThat(data.getList("budget.remainingToDate")).isEqualTo(remaining);

        List<String> forecast = data.getList("budget.forecastToDate");
        assertThat(forecast.subList(0, 14)).containsOnlyNulls();
        assertThat(forecast.get(14)).isEqualTo("6.51");
        assertThat(forecast.get(19)).isEqualTo("8.68");
        assertThat(forecast.get(30)).isEqualTo("13.45");
        List<String> forecastRemaining = data.getList("budget.forecastRemainingToDate");
        assertThat(forecastRemaining.subList(0, 14)).containsOnlyNulls();
        assertThat(forecastRemaining.get(14)).isEqualTo("13.49");
        assertThat(forecastRemaining.get(19)).isEqualTo("11.32");
        assertThat(forecastRemaining.get(30)).isEqualTo("6.55");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> keySeries(JsonPath data, String keyName) {
        List<Map<String, Object>> keys = data.getList("current.byKey");
        assertThat(keys).hasSize(2);
        return keys.stream().filter(key -> ((String) key.get("name")).startsWith(keyName + " (tb_")).findFirst()
                .orElseThrow();
    }

    /** December's values: those given by day of month, {@code zero} on the other days to the 15th, null after. */
    private static List<Object> december(Map<Integer, ?> values, Object zero) {
        return days(31, 15, values, zero);
    }

    private static List<Object> days(int length, int today, Map<Integer, ?> values, Object zero) {
        List<Object> days = new ArrayList<>();
        for (int day = 1; day <= length; day++) {
            days.add(day > today ? null : values.containsKey(day) ? values.get(day) : zero);
        }
        return days;
    }

    /** The client of the class comment, its usage metered from Kafka. Returns its id. */
    private String berlinClient() throws Exception {
        String operatorId = post("/admin/v1/operators", Map.of("slug", "dash-op", "name", "Dash Op",
                "currency", "EUR"));
        List<Map<String, String>> prices = new ArrayList<>();
        for (String model : List.of("dash-a", "dash-b")) {
            post("/admin/v1/models", Map.of("operatorId", operatorId, "name", model));
            prices.add(Map.of("model", model, "tokenKind", "input", "pricePerMillion", "2.00",
                    "effectiveFrom", "2026-01-01T00:00:00Z"));
            prices.add(Map.of("model", model, "tokenKind", "output", "pricePerMillion", "8.00",
                    "effectiveFrom", "2026-01-01T00:00:00Z"));
        }
        String planId = post("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Euro",
                "currency", "EUR", "prices", prices));
        String clientId = post("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", "dash-client",
                "name", "Dash Client", "currency", "EUR", "timeZone", "Europe/Berlin", "pricePlanId", planId));
        JsonPath alpha = key(clientId, "alpha");
        JsonPath beta = key(clientId, "beta");
        setBudget(clientId, "20.00");

        UsageEvents.publish(bootstrapServers,
                event(clientId, alpha, "d1", "dash-a", "2026-11-30T23:30:00Z", 1_000_000, 0, 100, 10L),
                event(clientId, beta, "d2", "dash-a", "2026-12-10T12:00:00Z", 500_000, 250_000, 200, 20L),
                event(clientId, alpha, "d3", "dash-b", "2026-12-10T13:00:00Z", 250_000, 125_000, 300, null),
                event(clientId, beta, "d4", "dash-b", "2026-12-15T09:00:00Z", 1_000, 1_001, 1_000, 40L),
                event(clientId, beta, "n1", "dash-b", "2026-11-05T12:00:00Z", 0, 1_000_000, 700, 70L),
                event(clientId, alpha, "n2", "dash-a", "2026-11-30T22:30:00Z", 2_000_000, 0, 5_000, 900L));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            operator().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-12")
                    .then().statusCode(200).body("requests", equalTo(4));
            operator().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-11")
                    .then().statusCode(200).body("requests", equalTo(2));
        });
        return clientId;
    }

    private static JsonPath key(String clientId, String name) {
        return operator().body(Map.of("name", name)).when().post("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
    }

    private static Request event(String clientId, JsonPath key, String id, String model, String at, long input,
            long output, long latencyMs, Long ttftMs) {
        return new Request(clientId, key.getString("id"), key.getString("prefix"), "dash-" + id, model,
                Instant.parse(at), input, output, latencyMs, ttftMs);
    }

    // No admin API sets a client's limits yet, so the budget is written as the operator's tools would store it.
    private void setBudget(String clientId, String amount) throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO client_limit "
                        + "(client_id, budget_amount, budget_currency) VALUES (?::uuid, ?::numeric, 'EUR')")) {
            insert.setString(1, clientId);
            insert.setString(2, amount);
            insert.executeUpdate();
        }
    }
}
