package io.tollbooth.portal.access;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling in this request, as the verified Keycloak token says, and which clients they may see. */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    /**
     * The clients this caller may see. A token naming a client confines its holder to that client whatever roles
     * it lists ({@link ClientBoundIdentity} has already removed staff roles from it); otherwise staff see every
     * client and anyone else sees none.
     */
    public ClientScope scope() {
        if (identity.isAnonymous()) {
            return ClientScope.none();
        }
        Optional<String> claim = clientClaim(identity);
        if (claim.isPresent()) {
            return parse(claim.get()).map(ClientScope::only).orElse(ClientScope.none());
        }
        boolean staff = Roles.STAFF.stream().anyMatch(identity::hasRole);
        return staff ? ClientScope.all() : ClientScope.none();
    }

    /** Whether the caller holds {@code role} (after {@link ClientBoundIdentity} kept a client's person to client roles). */
    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** The caller's name for logs: the token's user name, or the service account's. */
    public String name() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    /** The Keycloak user id of the person calling (the token's subject); empty for a service account's token. */
    public Optional<String> subject() {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            return Optional.ofNullable(token.getSubject());
        }
        return Optional.empty();
    }

    /** The {@value ClientScope#CLAIM} claim of the identity's token, if it has one. */
    static Optional<String> clientClaim(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            Object claim = token.getClaim(ClientScope.CLAIM);
            return Optional.ofNullable(claim).map(Object::toString).map(String::trim).filter(s -> !s.isEmpty());
        }
        return Optional.empty();
    }

    private static Optional<UUID> parse(String clientId) {
        try {
            return Optional.of(UUID.fromString(clientId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
