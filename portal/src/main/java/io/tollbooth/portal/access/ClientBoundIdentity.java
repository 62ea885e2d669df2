package io.tollbooth.portal.access;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps a client's person a client's person: an identity whose token names a client keeps only the client roles,
 * so that a staff role given to such an account by mistake never opens an operator or finance route.
 */
@ApplicationScoped
public class ClientBoundIdentity implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || Caller.clientClaim(identity).isEmpty()
                || identity.getRoles().stream().noneMatch(Roles.STAFF::contains)) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = identity.getRoles().stream()
                .filter(role -> !Roles.STAFF.contains(role))
                .collect(Collectors.toSet());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles)
                .build());
    }
}
