package io.tollbooth.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void forwardsANonStreamingBodyUntouched() {
        Buffer body = Buffer.buffer("{\"model\":\"m\", " + MESSAGES + ", \"temperature\": 0.5}");

        ApiRequest request = RequestParser.parse(body);

        assertThat(request.model()).isEqualTo("m");
        assertThat(request.stream()).isFalse();
        assertThat(request.backendBody()).isSameAs(body);
    }

    @Test
    void asksTheBackendForUsageWhenAStreamHasNoStreamOptions() {
        ApiRequest request = parse("{\"model\":\"m\"," + MESSAGES + ",\"stream\":true}");

        assertThat(request.clientWantsUsage()).isFalse();
        assertThat(request.backendBody().toString())
                .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"model\":\"m\"," + MESSAGES
                        + ",\"stream\":true}");
    }

    @Test
    void turnsOnIncludeUsageWhereTheCallerTurnedItOff() {
        ApiRequest request = parse("{\"model\":\"m\"," + MESSAGES
                + ",\"stream\":true,\"stream_options\":{\"include_usage\": false, \"x\":1}}");

        assertThat(request.clientWantsUsage()).isFalse();
        assertThat(request.backendBody().toString()).isEqualTo("{\"model\":\"m\"," + MESSAGES
                + ",\"stream\":true,\"stream_options\":{\"include_usage\": true, \"x\":1}}");
    }

    @Test
    void addsIncludeUsageToEmptyOrOtherStreamOptions() {
        assertThat(parse("{\"stream\":true,\"stream_options\":{},\"model\":\"m\"," + MESSAGES + "}")
                .backendBody().toString())
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\":\"m\","
                        + MESSAGES + "}");
        assertThat(parse("{\"stream\":true,\"stream_options\":{\"continuous_usage_stats\":true},\"model\":\"m\","
                + MESSAGES + "}").backendBody().toString())
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true,"
                        + "\"continuous_usage_stats\":true},\"model\":\"m\"," + MESSAGES + "}");
    }

    @Test
    void replacesNullStreamOptions() {
        assertThat(parse("{\"stream\":true,\"stream_options\":null,\"model\":\"m\"," + MESSAGES + "}")
                .backendBody().toString())
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\":\"m\","
                        + MESSAGES + "}");
    }

    @Test
    void remembersThatTheCallerAskedForUsage() {
        Buffer body = Buffer.buffer("{\"model\":\"m\"," + MESSAGES
                + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        ApiRequest request = RequestParser.parse(body);

        assertThat(request.clientWantsUsage()).isTrue();
        assertThat(request.backendBody()).isSameAs(body);
    }

    @Test
    void keepsMultiByteTextIntactAroundTheSplice() {
        ApiRequest request = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Grüße 👋\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":false}}");

        assertThat(request.backendBody().toString()).isEqualTo("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Grüße 👋\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    }

    @Test
    void refusesMalformedJsonAndBodiesThatAreNotObjects() {
        assertRefused("{\"model\":", null, "We could not parse the JSON body of your request.");
        assertRefused("[1]", null, "We could not parse the JSON body of your request.");
        assertRefused("{\"model\":\"m\"," + MESSAGES + "} {}", null,
                "We could not parse the JSON body of your request.");
        assertRefused("", null, "We could not parse the JSON body of your request.");
    }

    @Test
    void refusesAMissingModelOrMessages() {
        assertRefused("{" + MESSAGES + "}", "model", "you must provide a model parameter");
        assertRefused("{\"model\":\"\"," + MESSAGES + "}", "model", "you must provide a model parameter");
        assertRefused("{\"model\":\"m\"}", "messages", "Missing required parameter: 'messages'.");
        assertRefused("{\"model\":\"m\",\"messages\":[]}", "messages", "Invalid 'messages': empty array. "
                + "Expected an array with minimum length 1, but got an empty array instead.");
    }

    @Test
    void refusesFieldsOfTheWrongType() {
        assertRefused("{\"model\":7," + MESSAGES + "}", "model", "Invalid type for 'model': expected a string.");
        assertRefused("{\"model\":\"m\",\"messages\":\"hi\"}", "messages",
                "Invalid type for 'messages': expected an array of objects.");
        assertRefused("{\"model\":\"m\"," + MESSAGES + ",\"stream\":\"yes\"}", "stream",
                "Invalid type for 'stream': expected a boolean.");
        assertRefused("{\"model\":\"m\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":1}}",
                "stream_options.include_usage", "Invalid type for 'stream_options.include_usage': expected a boolean.");
    }

    @Test
    void refusesDuplicateKeysSoTheBackendCannotReadAnotherModel() {
        assertRefused("{\"model\":\"cheap\",\"model\":\"dear\"," + MESSAGES + "}", null,
                "We could not parse the JSON body of your request.");
    }

    private static ApiRequest parse(String body) {
        return RequestParser.parse(Buffer.buffer(body));
    }

    private static void assertRefused(String body, String param, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error()).isEqualTo(GatewayError.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }
}
