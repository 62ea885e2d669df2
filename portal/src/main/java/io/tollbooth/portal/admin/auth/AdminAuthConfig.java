package io.tollbooth.portal.admin.auth;

import io.smallrye.config.ConfigMapping;

/** How callers of the admin API prove who they are. TODO(#6): replaced by Keycloak bearer tokens. */
@ConfigMapping(prefix = "tollbooth.admin")
public interface AdminAuthConfig {

    /**
     * The shared secret that admin API callers send as {@code Authorization: Bearer <token>}. Set it with the
     * environment variable {@code TOLLBOOTH_ADMIN_TOKEN}; it has no default, so the application does not start
     * without it.
     */
    String token();
}
