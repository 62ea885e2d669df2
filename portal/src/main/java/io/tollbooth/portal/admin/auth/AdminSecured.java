package io.tollbooth.portal.admin.auth;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an admin API resource that only callers holding the admin token may use; {@link AdminTokenFilter}
 * enforces it. TODO(#6): becomes {@code @RolesAllowed} with roles from Keycloak tokens.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminSecured {
}
