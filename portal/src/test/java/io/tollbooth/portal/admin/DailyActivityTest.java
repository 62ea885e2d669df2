package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import io.tollbooth.portal.UsageEvents.Request;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily-activity endpoint: spend, tokens and requests per day of a chosen time zone, by model and by key.
 *
 * <p>Field case 19: a client in Asia/Kolkata with E1 at 2026-05-10T20:00Z ($1.00), E2 at 2026-05-11T10:00Z ($2.00)
 * and E3 at 2026-05-11T19:00Z ($4.00). Local 2026-05-11 holds E1 and E2, $3.00; bucketing by UTC day gives $6.00
 * and widening the UTC query by a day $7.00. Every price here is 10.00 per million input tokens, so 100,000 tokens
 * cost exactly $1.00.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class DailyActivityTest {

    private static final String MODEL_A = "daily-model-a";
    private static final String MODEL_B = "daily-model-b";

    private static String kolkata;
    private static String losAngeles;
    private static String pagoPago;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void meterTheEvents() {
        synchronized (DailyActivityTest.class) {
            if (kolkata == null) {
                setUp();
            }
        }
    }

    @Test
    void countsALocalDayFromMidnightToMidnightInTheClientsZone() {
        JsonPath day = activity(kolkata, "from=2026-05-11&to=2026-05-11");

        assertThat(day.getString("timeZone")).isEqualTo("Asia/Kolkata");
        assertThat(day.getList("days.date")).containsExactly("2026-05-11");
        assertThat(day.getString("days[0].spend")).isEqualTo("3.00");
        assertThat(day.getString("total.spend")).isEqualTo("3.00");
        assertThat(day.getString("total.ratedAmount")).isEqualTo("3");
        assertThat(day.getInt("total.requests")).isEqualTo(2);
        assertThat(day.getLong("total.tokens.input")).isEqualTo(300_000);
        assertThat(day.getString("currency")).isEqualTo("USD");
    }

    @Test
    void breaksEachDayDownByModelAndByKey() {
        JsonPath day = activity(kolkata, "from=2026-05-11&to=2026-05-11");

        assertThat(day.getList("days[0].models.model")).containsExactly(MODEL_A, MODEL_B);
        assertThat(day.getList("days[0].models.spend")).containsExactly("1.00", "2.00");
        assertThat(day.getList("days[0].models.requests")).containsExactly(1, 1);
        assertThat(day.getList("days[0].models.tokens.input")).containsExactly(100_000, 200_000);

        assertThat(day.getList("days[0].apiKeys")).hasSize(2);
        assertThat(day.getString("days[0].apiKeys.find { it.keyName == 'web' }.spend")).isEqualTo("1.00");
        assertThat(day.getString("days[0].apiKeys.find { it.keyName == 'batch' }.spend")).isEqualTo("2.00");
        assertThat(day.getString("days[0].apiKeys.find { it.keyName == 'web' }.keyPrefix")).startsWith("tb_");
        assertThat(day.getString("days[0].apiKeys.find { it.keyName == 'web' }.key")).isNull();
    }

    @Test
    void listsEveryDayOfTheRangeAndSingleDaysAddUpToIt() {
        JsonPath range = activity(kolkata, "from=2026-05-10&to=2026-05-12");

        assertThat(range.getList("days.date")).containsExactly("2026-05-10", "2026-05-11", "2026-05-12");
        assertThat(range.getList("days.spend")).containsExactly("0.00", "3.00", "4.00");
        assertThat(range.getList("days.requests")).containsExactly(0, 2, 1);
        assertThat(range.getList("days[0].models")).isEmpty();
        assertThat(range.getString("total.spend")).isEqualTo("7.00");

        BigDecimal singleDays = BigDecimal.ZERO;
        for (String date : List.of("2026-05-10", "2026-05-11", "2026-05-12")) {
            singleDays = singleDays.add(new BigDecimal(
                    activity(kolkata, "from=" + date + "&to=" + date).getString("total.ratedAmount")));
        }
        assertThat(singleDays).isEqualByComparingTo(range.getString("total.ratedAmount"));
    }

    @Test
    void countsTheDaysInAnotherZoneWhenAsked() {
        JsonPath utc = activity(kolkata, "from=2026-05-10&to=2026-05-11&tz=UTC");

        assertThat(utc.getString("timeZone")).isEqualTo("UTC");
        assertThat(utc.getList("days.spend")).containsExactly("1.00", "6.00");
    }

    @Test
    void putsAnEveningEventWestOfUtcOnItsLocalDay() {
        JsonPath day = activity(losAngeles, "from=2026-05-11&to=2026-05-11");

        assertThat(day.getString("days[0].spend")).isEqualTo("1.00");
        assertThat(day.getInt("days[0].requests")).isEqualTo(1);
        assertThat(activity(losAngeles, "from=2026-05-12&to=2026-05-12").getString("total.spend"))
                .isEqualTo("0.00");
    }

    /** At the test clock's 2026-12-15T10:00Z it is 23:00 on 2026-12-14 in Pago Pago (UTC-11): that is today. */
    @Test
    void defaultsToThisMonthUpToTodayInTheClientsZone() {
        JsonPath month = activity(pagoPago, "");

        assertThat(month.getString("from")).isEqualTo("2026-12-01");
        assertThat(month.getString("to")).isEqualTo("2026-12-14");
        assertThat(month.getList("days")).hasSize(14);
        assertThat(month.getString("days[13].spend")).isEqualTo("0.50");
        assertThat(month.getString("total.spend")).isEqualTo("0.50");
    }

    @Test
    void givesTheClientsPeopleTheirOwnActivityThroughTheClientApi() {
        String viewer = TestRealm.person("client-viewer", kolkata);

        Admin.as(viewer).when().get("/api/v1/daily-activity?from=2026-05-11&to=2026-05-11")
                .then().statusCode(200)
                .body("clientId", equalTo(kolkata))
                .body("days", hasSize(1))
                .body("total.spend", equalTo("3.00"));
        Admin.as(viewer).when().get("/admin/v1/clients/" + kolkata + "/daily-activity?from=2026-05-11&to=2026-05-11")
                .then().statusCode(200)
                .body("total.spend", equalTo("3.00"));
        Admin.as(viewer).when().get("/admin/v1/clients/" + losAngeles + "/daily-activity")
                .then().statusCode(404);
    }

    @Test
    void refusesARangeItCannotAnswer() {
        String path = "/admin/v1/clients/" + kolkata + "/daily-activity?";
        admin().when().get(path + "from=2026-05-12&to=2026-05-11")
                .then().statusCode(400).body("detail", equalTo("from: must not be after to"));
        admin().when().get(path + "from=2025-01-01&to=2026-05-11")
                .then().statusCode(400).body("detail", equalTo("from: the range must not span more than 366 days"));
        admin().when().get(path + "tz=Mars/Olympus_Mons")
                .then().statusCode(400).body("detail", equalTo("tz: must be an IANA time zone such as Europe/Berlin"));
        admin().when().get(path + "from=11.05.2026")
                .then().statusCode(400).body("errors[0].message", equalTo("must be a date such as 2026-12-31"));
    }

    private static JsonPath activity(String clientId, String query) {
        String path = "/admin/v1/clients/" + clientId + "/daily-activity";
        return admin().when().get(query.isEmpty() ? path : path + "?" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    private void setUp() {
        String operatorId = create("/admin/v1/operators", Map.of("slug", "daily-op", "name", "Daily Op",
                "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL_A));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL_B));
        String planId = create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Flat",
                "currency", "USD", "prices", List.of(price(MODEL_A, "input"), price(MODEL_A, "output"),
                        price(MODEL_B, "input"), price(MODEL_B, "output"))));
        kolkata = client(operatorId, planId, "kolkata", "Asia/Kolkata");
        losAngeles = client(operatorId, planId, "los-angeles", "America/Los_Angeles");
        pagoPago = client(operatorId, planId, "pago-pago", "Pacific/Pago_Pago");
        JsonPath web = key(kolkata, "web");
        JsonPath batch = key(kolkata, "batch");
        JsonPath la = key(losAngeles, "la");
        JsonPath pago = key(pagoPago, "pago");

        UsageEvents.publish(bootstrapServers,
                request(kolkata, web, "req-daily-e1", MODEL_A, "2026-05-10T20:00:00Z", 100_000),
                request(kolkata, batch, "req-daily-e2", MODEL_B, "2026-05-11T10:00:00Z", 200_000),
                request(kolkata, web, "req-daily-e3", MODEL_A, "2026-05-11T19:00:00Z", 400_000),
                request(losAngeles, la, "req-daily-la", MODEL_A, "2026-05-12T04:30:00Z", 100_000),
                request(pagoPago, pago, "req-daily-pago", MODEL_A, "2026-12-15T09:30:00Z", 50_000));
        awaitMetered(kolkata, "2026-05", 3);
        awaitMetered(losAngeles, "2026-05", 1);
        awaitMetered(pagoPago, "2026-12", 1);
    }

    private static Map<String, String> price(String model, String tokenKind) {
        return Map.of("model", model, "tokenKind", tokenKind, "pricePerMillion", "10.00",
                "effectiveFrom", "2026-01-01T00:00:00Z");
    }

    private static String client(String operatorId, String planId, String slug, String timeZone) {
        return create("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", slug, "name", slug,
                "currency", "USD", "timeZone", timeZone, "pricePlanId", planId));
    }

    private static JsonPath key(String clientId, String name) {
        return admin().body(Map.of("name", name)).when().post("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
    }

    private static Request request(String clientId, JsonPath key, String requestId, String model, String at,
            long inputTokens) {
        return new Request(clientId, key.getString("id"), key.getString("prefix"), requestId, model,
                Instant.parse(at), inputTokens, 0);
    }

    private static void awaitMetered(String clientId, String period, int requests) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=" + period)
                        .then().statusCode(200).body("requests", equalTo(requests)));
    }
}
