package io.tollbooth.portal.admin.auth;

import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Lets a request to an {@link AdminSecured} resource through only when it carries the admin token as
 * {@code Authorization: Bearer <token>}; otherwise the caller gets a 401 problem.
 * TODO(#6): replaced by Quarkus OIDC against Keycloak; this package is then deleted.
 */
@Provider
@AdminSecured
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final AdminTokenVerifier verifier;

    AdminTokenFilter(AdminTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new AdminException(AdminError.UNAUTHORIZED,
                    "send the admin token as 'Authorization: Bearer <token>'");
        }
        if (!verifier.matches(authorization.substring(BEARER.length()).trim())) {
            throw new AdminException(AdminError.UNAUTHORIZED, "the admin token is not valid");
        }
    }
}
