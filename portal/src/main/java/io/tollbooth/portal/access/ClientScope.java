package io.tollbooth.portal.access;

import java.util.Optional;
import java.util.UUID;

/**
 * Which clients' data a caller may see: every client (operators and finance), exactly one (a client's people), or
 * none (a signed-in account that belongs to no client and holds no staff role).
 *
 * <p>The one client comes from the verified token's {@value #CLAIM} claim, never from a request parameter.
 */
public final class ClientScope {

    /** The token claim naming the client a person belongs to (Keycloak user attribute of the same name). */
    public static final String CLAIM = "tollbooth_client_id";

    private static final ClientScope ALL = new ClientScope(true, null);
    private static final ClientScope NONE = new ClientScope(false, null);

    private final boolean all;
    private final UUID client;

    private ClientScope(boolean all, UUID client) {
        this.all = all;
        this.client = client;
    }

    public static ClientScope all() {
        return ALL;
    }

    public static ClientScope only(UUID clientId) {
        return new ClientScope(false, clientId);
    }

    public static ClientScope none() {
        return NONE;
    }

    /** Whether data of {@code clientId} is visible; false for null. */
    public boolean includes(UUID clientId) {
        return clientId != null && (all || clientId.equals(client));
    }

    /** The one client of a client's person; empty for staff and for callers who see nothing. */
    public Optional<UUID> client() {
        return Optional.ofNullable(client);
    }

    public boolean isAll() {
        return all;
    }

    @Override
    public String toString() {
        return all ? "all" : client == null ? "none" : "client:" + client;
    }
}
