package io.tollbooth.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tollbooth.gateway.testing.CaptureSeed;
import io.tollbooth.gateway.testing.Seed;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers itself on each API surface: the model list of the caller's operator, and its refusals in
 * the caller's API's own error JSON (OpenAI's, or Anthropic's on {@code /v1/messages}).
 */
@QuarkusTest
class ApiSurfacesTest {

    private static final String MESSAGES_BODY = "{\"model\":\"claude-sonnet\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @BeforeEach
    void seed() {
        CaptureSeed.ensure();
    }

    @Test
    void listsOnlyTheModelsOfTheCallersOperatorInNameOrder() {
        Response response = given().header("Authorization", "Bearer " + CaptureSeed.KEY.secret()).get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("object")).isEqualTo("list");
        List<String> ids = response.jsonPath().getList("data.id");
        assertThat(ids).containsExactly("claude-sonnet", "gpt-4o", "local-llama", "o4-mini",
                "text-embedding-3-small", "whisper-1");
        assertThat(response.jsonPath().getList("data.owned_by")).containsOnly("capture-msp");
        assertThat(response.jsonPath().getList("data.object")).containsOnly("model");
        assertThat(response.header("x-request-id")).isNotBlank();
    }

    @Test
    void showsAndServesAKeyRestrictedToOneModelOnlyThatModel() {
        String auth = "Bearer " + CaptureSeed.RESTRICTED_KEY.secret();

        Response list = given().header("Authorization", auth).get("/v1/models");
        Response other = given().header("Authorization", auth).get("/v1/models/o4-mini");
        Response refused = given().contentType("application/json").header("Authorization", auth)
                .body("{\"model\":\"o4-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
        Response served = given().contentType("application/json").header("Authorization", auth)
                .body("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");

        assertThat(list.jsonPath().getList("data.id")).containsExactly("gpt-4o");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.body().asString()).isEqualTo("{\"error\":{\"message\":\"The model `o4-mini` does not "
                + "exist or you do not have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"model_not_found\"}}");
        assertThat(served.statusCode()).isEqualTo(200);
    }

    @Test
    void retrievesOneModelAndRefusesOneOfAnotherOperator() {
        Response found = given().header("Authorization", "Bearer " + Seed.KEY.secret()).get("/v1/models/sim-small");
        Response foreign = given().header("Authorization", "Bearer " + Seed.KEY.secret())
                .get("/v1/models/" + Seed.OTHER_OPERATORS_MODEL);

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.jsonPath().getString("id")).isEqualTo("sim-small");
        assertThat(found.jsonPath().getString("owned_by")).isEqualTo("acme-msp");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body().asString()).isEqualTo("{\"error\":{\"message\":\"The model `sim-large` does not "
                + "exist or you do not have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"model_not_found\"}}");
    }

    @Test
    void refusesAnAnthropicCallerInAnthropicsShape() {
        Response noKey = given().contentType("application/json").header("anthropic-version", "2023-06-01")
                .body(MESSAGES_BODY).post("/v1/messages");
        Response wrongKey = given().contentType("application/json").header("x-api-key", Seed.UNKNOWN_KEY)
                .body(MESSAGES_BODY).post("/v1/messages");
        Response noMessages = given().contentType("application/json").header("x-api-key", CaptureSeed.KEY.secret())
                .body("{\"model\":\"claude-sonnet\",\"max_tokens\":16}").post("/v1/messages");

        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body().asString()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"authentication_error\",\"message\":\"x-api-key header is required\"}}");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.body().asString()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"authentication_error\",\"message\":\"Incorrect API key provided.\"}}");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(noMessages.body().asString()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"Missing required parameter: 'messages'.\"}}");
    }

    @Test
    void answersAnUnknownPathWith404InTheCallersShape() {
        Response openAi = given().contentType("application/json").body("{}").post("/v1/nothing-here");
        Response anthropic = given().contentType("application/json").header("anthropic-version", "2023-06-01")
                .body("{}").post("/v1/messages/batches/x");

        assertThat(openAi.statusCode()).isEqualTo(404);
        assertThat(openAi.body().asString()).isEqualTo("{\"error\":{\"message\":\"Invalid URL (POST "
                + "/v1/nothing-here)\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unknown_url\"}}");
        assertThat(anthropic.statusCode()).isEqualTo(404);
        assertThat(anthropic.body().asString()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"not_found_error\",\"message\":\"Invalid URL (POST /v1/messages/batches/x)\"}}");
    }

    @Test
    void refusesAnEmbeddingWithoutInputAndATranscriptionWithoutModel() {
        Response embedding = given().contentType("application/json")
                .header("Authorization", "Bearer " + CaptureSeed.KEY.secret())
                .body("{\"model\":\"text-embedding-3-small\"}").post("/v1/embeddings");
        Response transcription = given().header("Authorization", "Bearer " + CaptureSeed.KEY.secret())
                .multiPart("file", "a.wav", new byte[] {1, 2, 3}, "audio/wav").post("/v1/audio/transcriptions");

        assertThat(embedding.statusCode()).isEqualTo(400);
        assertThat(embedding.jsonPath().getString("error.param")).isEqualTo("input");
        assertThat(transcription.statusCode()).isEqualTo(400);
        assertThat(transcription.body().asString()).isEqualTo("{\"error\":{\"message\":\"you must provide a model "
                + "parameter\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":"
                + "\"invalid_request_error\"}}");
    }
}
