package io.tollbooth.deploy.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Keycloak starts with the tollbooth realm, issues the admin automation its token, and stops. */
class LocalKeycloakTest {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void issuesTheAdminCliAnOperatorTokenForTheControlPlaneAndStopsCleanly(@TempDir Path workDir) throws Exception {
        LocalKeycloak keycloak = LocalKeycloak.start(workDir);
        String claims;
        try {
            claims = claims(clientCredentialsToken(keycloak));
            assertThat(get(keycloak.realmUrl() + "/.well-known/openid-configuration"))
                    .contains("\"issuer\":\"" + keycloak.realmUrl() + "\"");
        } finally {
            keycloak.close();
        }

        assertThat(claims)
                .contains("\"iss\":\"" + keycloak.realmUrl() + "\"")
                .contains("\"azp\":\"tollbooth-admin-cli\"")
                .containsPattern("\"aud\":(\\[[^]]*)?\"tollbooth-portal\"")
                .containsPattern("\"realm_access\":\\{\"roles\":\\[[^]]*\"operator\"")
                .doesNotContain("tollbooth_client_id");
        assertThat(keycloak.isRunning()).isFalse();
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(workDir.toString())))
                .as("no Keycloak process of this test survives close()").isEmpty();
    }

    private String clientCredentialsToken(LocalKeycloak keycloak) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + LocalKeycloak.ADMIN_CLI_CLIENT
                + "&client_secret=" + URLEncoder.encode(LocalKeycloak.ADMIN_CLI_DEMO_SECRET, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(keycloak.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        assertThat(token.find()).isTrue();
        return token.group(1);
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
