package io.tollbooth.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.gateway.testing.Seed;
import org.junit.jupiter.api.Test;

/** The gateway's own refusals: exact status and exact OpenAI error JSON, each with its request id. */
@QuarkusTest
class GatewayErrorsTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String VALID_BODY =
            "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MISSING_KEY = "{\"error\":{\"message\":\"You didn't provide an API key. You need to "
            + "provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer "
            + "YOUR_KEY).\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
    private static final String INCORRECT_KEY = "{\"error\":{\"message\":\"Incorrect API key provided.\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";

    @Test
    void refusesARequestWithoutAKey() {
        assertError(post(given(), VALID_BODY), 401, MISSING_KEY);
        assertError(post(given().header("Authorization", "Basic dXNlcjpwYXNz"), VALID_BODY), 401, MISSING_KEY);
    }

    @Test
    void neverReadsAKeyFromTheQueryString() {
        Response response = given().contentType("application/json").body(VALID_BODY)
                .queryParam("api_key", Seed.KEY.secret()).post(PATH);

        assertError(response, 401, MISSING_KEY);
    }

    @Test
    void refusesUnknownMalformedRevokedAndExpiredKeysAlike() {
        assertError(post(withKey(Seed.UNKNOWN_KEY), VALID_BODY), 401, INCORRECT_KEY);
        assertError(post(withKey("sk-not-a-tollbooth-key"), VALID_BODY), 401, INCORRECT_KEY);
        assertError(post(withKey(Seed.REVOKED_KEY.secret()), VALID_BODY), 401, INCORRECT_KEY);
        assertError(post(withKey(Seed.EXPIRED_KEY.secret()), VALID_BODY), 401, INCORRECT_KEY);
    }

    @Test
    void refusesMalformedJson() {
        assertError(post(withKey(Seed.KEY.secret()), "{\"model\":\"sim-small\","), 400,
                "{\"error\":{\"message\":\"We could not parse the JSON body of your request.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request_error\"}}");
    }

    @Test
    void refusesABodyWithoutModelOrMessages() {
        assertError(post(withKey(Seed.KEY.secret()), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400,
                "{\"error\":{\"message\":\"you must provide a model parameter\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"model\",\"code\":\"invalid_request_error\"}}");
        assertError(post(withKey(Seed.KEY.secret()), "{\"model\":\"sim-small\"}"), 400,
                "{\"error\":{\"message\":\"Missing required parameter: 'messages'.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\","
                        + "\"code\":\"invalid_request_error\"}}");
    }

    @Test
    void refusesAModelTheClientsOperatorDoesNotOffer() {
        assertError(post(withKey(Seed.KEY.secret()), VALID_BODY.replace("sim-small", "gpt-4o")), 404,
                "{\"error\":{\"message\":\"The model `gpt-4o` does not exist or you do not have access to it.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}");
        assertError(post(withKey(Seed.KEY.secret()), VALID_BODY.replace("sim-small", Seed.OTHER_OPERATORS_MODEL)),
                404, "{\"error\":{\"message\":\"The model `sim-large` does not exist or you do not have access to "
                        + "it.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}");
    }

    @Test
    void refusesABodyOverTheSizeLimit() {
        String oversized = VALID_BODY.replace("\"hi\"", "\"" + "a".repeat(64 * 1024) + "\"");

        assertError(post(withKey(Seed.KEY.secret()), oversized), 413,
                "{\"error\":{\"message\":\"The request body is larger than the limit of 65536 bytes.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"request_too_large\"}}");
    }

    @Test
    void answersUnknownUrlsAndMethodsWithOpenAiErrors() {
        assertError(given().get(PATH), 404, "{\"error\":{\"message\":\"Invalid URL (GET /v1/chat/completions)\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unknown_url\"}}");
        assertError(given().post("/v1/nothing"), 404, "{\"error\":{\"message\":\"Invalid URL (POST /v1/nothing)\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unknown_url\"}}");
    }

    private static RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    private static Response post(RequestSpecification request, String body) {
        return request.contentType("application/json").body(body).post(PATH);
    }

    private static void assertError(Response response, int status, String json) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.header("x-request-id")).hasSize(36);
        assertThat(response.body().asString()).isEqualTo(json);
    }
}
