package io.tollbooth.portal.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * One of a client's people: a Keycloak user whose {@code tollbooth_client_id} attribute names the client.
 *
 * @param id Keycloak's user id
 * @param clientId the client the person belongs to
 * @param email the address they sign in with (also their user name)
 * @param role {@code client-admin} or {@code client-viewer}
 * @param enabled false once removed: the account stays in Keycloak for the record but cannot sign in
 * @param createdAt when the person was invited
 */
public record Person(String id, UUID clientId, String email, String firstName, String lastName, String role,
        boolean enabled, Instant createdAt) {
}
