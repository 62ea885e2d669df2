package io.tollbooth.gateway.auth;

import java.util.Set;
import java.util.UUID;

/**
 * The API key a request was authenticated with, and whose it is.
 *
 * @param keyId id of the {@code api_key} row
 * @param prefix the key's visible prefix, safe to log
 * @param clientId the client (tenant) the request is billed to
 * @param operatorId the operator whose models the client may use
 * @param allowedModels the only models this key may use (table {@code api_key_model}); empty when it may use every
 *     model of the operator
 */
public record AuthenticatedKey(UUID keyId, String prefix, UUID clientId, UUID operatorId, Set<String> allowedModels) {

    public AuthenticatedKey {
        allowedModels = Set.copyOf(allowedModels);
    }

    /** A key that may use every model of its operator. */
    public AuthenticatedKey(UUID keyId, String prefix, UUID clientId, UUID operatorId) {
        this(keyId, prefix, clientId, operatorId, Set.of());
    }

    /** Whether this key may use {@code model}, one its operator offers. */
    public boolean mayUse(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
