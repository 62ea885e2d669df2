package io.tollbooth.portal.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How the control plane manages clients' people in Keycloak. The admin API connection itself is configured under
 * {@code quarkus.keycloak.admin-client.*}; its secret comes from {@code TOLLBOOTH_IDENTITY_CLIENT_SECRET}.
 */
@ConfigMapping(prefix = "tollbooth.identity")
public interface IdentityConfig {

    /** The Keycloak realm whose users are the people signing in to Tollbooth. */
    @WithDefault("tollbooth")
    String realm();

    /**
     * Whether Keycloak e-mails each invited person a link to set their password and verify their address. Needs
     * the realm's SMTP settings; off in development, where nobody receives mail.
     */
    @WithDefault("true")
    boolean sendInvitationEmail();

    /** How long the link in an invitation e-mail stays valid. */
    @WithDefault("P3D")
    Duration invitationLifespan();
}
