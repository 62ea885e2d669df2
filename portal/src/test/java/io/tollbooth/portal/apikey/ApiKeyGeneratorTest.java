package io.tollbooth.portal.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** API keys have one format, are stored as prefix and SHA-256 only, and never print themselves. */
class ApiKeyGeneratorTest {

    private final ApiKeyGenerator generator = new ApiKeyGenerator();

    @Test
    void makesAMarkedKeyOf32RandomBytesInBase64Url() {
        ApiKeyGenerator.NewKey key = generator.generate();

        assertThat(key.key()).hasSize(46).matches("tb_[A-Za-z0-9_-]{43}");
        assertThat(key.prefix()).isEqualTo(key.key().substring(0, 11));
    }

    @Test
    void hashesTheKeysUtf8BytesWithSha256() throws Exception {
        ApiKeyGenerator.NewKey key = generator.generate();

        byte[] expected = MessageDigest.getInstance("SHA-256").digest(key.key().getBytes(StandardCharsets.UTF_8));
        assertThat(key.hash()).hasSize(32).isEqualTo(expected);
        assertThat(ApiKeyGenerator.sha256("tb_example")).isEqualTo(
                MessageDigest.getInstance("SHA-256").digest("tb_example".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void neverRepeatsAKey() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            keys.add(generator.generate().key());
        }
        assertThat(keys).hasSize(1_000);
    }

    @Test
    void keepsTheKeyOutOfItsStringForm() {
        ApiKeyGenerator.NewKey key = generator.generate();

        assertThat(key.toString()).isEqualTo("NewKey[prefix=" + key.prefix() + "]").doesNotContain(key.key());
    }
}
