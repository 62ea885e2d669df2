package io.tollbooth.portal.access;

import java.util.Set;

/**
 * The realm roles of the tollbooth Keycloak realm, as {@code @RolesAllowed} names them. Staff roles see every
 * client; client roles see one client, the one named by the token's {@value ClientScope#CLAIM} claim.
 */
public final class Roles {

    /** Runs the business: manages clients, prices, keys, invoices and clients' people. */
    public static final String OPERATOR = "operator";

    /** Reads every client's invoices, usage and exports; changes nothing. */
    public static final String FINANCE = "finance";

    /** Manages one client's keys and people and reads its usage and invoices. */
    public static final String CLIENT_ADMIN = "client-admin";

    /** Reads one client's usage, keys and invoices. */
    public static final String CLIENT_VIEWER = "client-viewer";

    /** Roles that see every client's data. */
    public static final Set<String> STAFF = Set.of(OPERATOR, FINANCE);

    /** Roles bound to one client, the only ones a client's people can be given. */
    public static final Set<String> CLIENT = Set.of(CLIENT_ADMIN, CLIENT_VIEWER);

    private Roles() {
    }
}
