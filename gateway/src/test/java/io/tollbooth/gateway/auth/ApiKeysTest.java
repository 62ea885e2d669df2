package io.tollbooth.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String KEY = "tb_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    @Test
    void acceptsOnlyTheShapeOfATollboothKey() {
        assertThat(ApiKeys.isWellFormed(KEY)).isTrue();
        assertThat(ApiKeys.isWellFormed(KEY.substring(1))).isFalse();
        assertThat(ApiKeys.isWellFormed("sk" + KEY.substring(2))).isFalse();
        assertThat(ApiKeys.isWellFormed(KEY.substring(0, 45) + "=")).isFalse();
        assertThat(ApiKeys.isWellFormed(KEY + "A")).isFalse();
    }

    @Test
    void hashesTheKeysUtf8BytesWithSha256() {
        assertThat(HexFormat.of().formatHex(ApiKeys.hash("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.prefix(KEY)).isEqualTo("tb_AAECAwQF");
    }
}
