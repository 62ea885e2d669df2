package io.tollbooth.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class ModelRenameTest {

    @Test
    void replacesOnlyTheTopLevelModelAndKeepsEveryOtherByte() {
        String body = "{ \"messages\": [{\"role\":\"user\",\"content\":\"model\"}],\n  \"model\" : \"local-llama\","
                + "\"metadata\":{\"model\":\"x\"}}";

        Buffer renamed = ModelRename.withModel(Buffer.buffer(body), "meta-llama/Llama-3.2-3B-Instruct");

        assertThat(renamed.toString()).isEqualTo("{ \"messages\": [{\"role\":\"user\",\"content\":\"model\"}],\n"
                + "  \"model\" : \"meta-llama/Llama-3.2-3B-Instruct\",\"metadata\":{\"model\":\"x\"}}");
    }

    @Test
    void escapesTheNewNameAndReplacesAnEscapedOldOne() {
        Buffer renamed = ModelRename.withModel(Buffer.buffer("{\"model\":\"a\\u0022b\",\"stream\":true}"),
                "llama3.2:3b \"q4\"");

        assertThat(renamed.toString()).isEqualTo("{\"model\":\"llama3.2:3b \\\"q4\\\"\",\"stream\":true}");
    }

    @Test
    void leavesABodyWithoutAStringModelAsItIs() {
        Buffer form = Buffer.buffer("--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--b--");

        assertThat(ModelRename.withModel(form, "other")).isSameAs(form);
    }
}
