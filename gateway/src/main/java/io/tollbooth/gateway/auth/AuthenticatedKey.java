package io.tollbooth.gateway.auth;

import java.util.UUID;

/**
 * The API key a request was authenticated with, and whose it is.
 *
 * @param keyId id of the {@code api_key} row
 * @param prefix the key's visible prefix, safe to log
 * @param clientId the client (tenant) the request is billed to
 * @param operatorId the operator whose models the client may use
 */
public record AuthenticatedKey(UUID keyId, String prefix, UUID clientId, UUID operatorId) {
}
