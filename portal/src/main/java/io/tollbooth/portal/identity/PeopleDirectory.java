package io.tollbooth.portal.identity;

import io.tollbooth.portal.access.ClientScope;
import io.tollbooth.portal.access.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Clients' people, kept in Keycloak and nowhere else: Tollbooth creates, lists and disables them through
 * Keycloak's admin API and never sees or stores a password. A person belongs to one client through the user
 * attribute {@value ClientScope#CLAIM}, which the realm maps into their tokens.
 */
@ApplicationScoped
public class PeopleDirectory {

    /** What an invited person must do before they can sign in. */
    static final List<String> INVITATION_ACTIONS = List.of("UPDATE_PASSWORD", "VERIFY_EMAIL");

    // A client's team, not a user directory: one page is enough, and bounds the role look-ups per listing.
    private static final int MAX_PEOPLE = 500;

    private static final Logger LOG = Logger.getLogger(PeopleDirectory.class);

    private final Keycloak keycloak;
    private final IdentityConfig config;

    PeopleDirectory(Keycloak keycloak, IdentityConfig config) {
        this.keycloak = keycloak;
        this.config = config;
    }

    /**
     * Creates an enabled account for a client's person with a client role and no password; when configured,
     * Keycloak e-mails them a link to choose one.
     *
     * @param role {@link Roles#CLIENT_ADMIN} or {@link Roles#CLIENT_VIEWER}
     * @throws IdentityException {@code DUPLICATE} if the address is taken, {@code REJECTED} for details Keycloak
     *     refuses, {@code UNAVAILABLE} if Keycloak fails
     */
    public Person invite(UUID clientId, String email, String firstName, String lastName, String role) {
        if (!Roles.CLIENT.contains(role)) {
            throw new IllegalArgumentException("not a client role: " + role);
        }
        String id = create(newUser(clientId, email, firstName, lastName));
        UserResource user = realm().users().get(id);
        try {
            call(() -> {
                user.roles().realmLevel().add(List.of(realmRole(role)));
                return null;
            });
            if (config.sendInvitationEmail()) {
                call(() -> {
                    user.executeActionsEmail(INVITATION_ACTIONS, (int) config.invitationLifespan().toSeconds());
                    return null;
                });
            }
        } catch (IdentityException e) {
            // Half an invitation is worse than none: the account is new, so taking it back loses nothing.
            try {
                user.remove();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LOG.infof("person_invited client=%s person=%s role=%s email_sent=%s", clientId, id, role,
                config.sendInvitationEmail());
        return find(clientId, id).orElseThrow();
    }

    /** The client's people, enabled or not, in the order they were invited. */
    public List<Person> list(UUID clientId) {
        List<UserRepresentation> users = call(() -> realm().users()
                .searchByAttributes(0, MAX_PEOPLE, null, true, false, ClientScope.CLAIM + ":" + clientId));
        return users.stream()
                .filter(user -> belongsTo(user, clientId))
                .map(user -> person(user, clientId))
                .sorted(Comparator.comparing(Person::createdAt).thenComparing(Person::email))
                .toList();
    }

    /** The person, if Keycloak has them and they belong to {@code clientId}. */
    public Optional<Person> find(UUID clientId, String personId) {
        return representation(personId).filter(user -> belongsTo(user, clientId))
                .map(user -> person(user, clientId));
    }

    /**
     * Disables the person's account and ends their sessions; they can no longer sign in or refresh a token.
     * Disabling a disabled person changes nothing.
     *
     * @return the person as now stored, or empty if they do not belong to {@code clientId}
     */
    public Optional<Person> disable(UUID clientId, String personId) {
        Optional<UserRepresentation> found = representation(personId).filter(user -> belongsTo(user, clientId));
        found.filter(UserRepresentation::isEnabled).ifPresent(user -> {
            UserResource resource = realm().users().get(personId);
            user.setEnabled(false);
            call(() -> {
                resource.update(user);
                resource.logout();
                return null;
            });
            LOG.infof("person_disabled client=%s person=%s", clientId, personId);
        });
        return found.map(user -> person(user, clientId));
    }

    private UserRepresentation newUser(UUID clientId, String email, String firstName, String lastName) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(email);
        user.setEmail(email);
        user.setFirstName(firstName);
        user.setLastName(lastName);
        user.setEnabled(true);
        user.setEmailVerified(false);
        user.setRequiredActions(INVITATION_ACTIONS);
        user.setAttributes(Map.of(ClientScope.CLAIM, List.of(clientId.toString())));
        return user;
    }

    private String create(UserRepresentation user) {
        try (Response response = call(() -> realm().users().create(user))) {
            int status = response.getStatus();
            if (status == Response.Status.CONFLICT.getStatusCode()) {
                throw new IdentityException(IdentityException.Reason.DUPLICATE,
                        "a person with e-mail address " + user.getEmail() + " already exists", null);
            }
            if (status == Response.Status.BAD_REQUEST.getStatusCode()) {
                throw new IdentityException(IdentityException.Reason.REJECTED,
                        "Keycloak rejected the person: " + response.readEntity(String.class), null);
            }
            if (status != Response.Status.CREATED.getStatusCode()) {
                throw new IdentityException(IdentityException.Reason.UNAVAILABLE,
                        "Keycloak answered " + status + " to creating a user", null);
            }
            return CreatedResponseUtil.getCreatedId(response);
        }
    }

    private Optional<UserRepresentation> representation(String personId) {
        try {
            return Optional.of(call(() -> realm().users().get(personId).toRepresentation()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private Person person(UserRepresentation user, UUID clientId) {
        List<RoleRepresentation> roles = call(() -> realm().users().get(user.getId()).roles().realmLevel()
                .listAll());
        String role = roles.stream().map(RoleRepresentation::getName).filter(Roles.CLIENT::contains)
                .sorted().findFirst().orElse(null);
        Instant created = user.getCreatedTimestamp() == null ? null : Instant.ofEpochMilli(user.getCreatedTimestamp());
        return new Person(user.getId(), clientId, user.getEmail(), user.getFirstName(), user.getLastName(), role,
                Boolean.TRUE.equals(user.isEnabled()), created);
    }

    private static boolean belongsTo(UserRepresentation user, UUID clientId) {
        Map<String, List<String>> attributes = user.getAttributes();
        return attributes != null && List.of(clientId.toString()).equals(attributes.get(ClientScope.CLAIM));
    }

    private RoleRepresentation realmRole(String role) {
        return realm().roles().get(role).toRepresentation();
    }

    private RealmResource realm() {
        return keycloak.realm(config.realm());
    }

    /** Runs a Keycloak call; a 404 passes through, any other failure means Keycloak is not usable. */
    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (NotFoundException e) {
            throw e;
        } catch (ProcessingException | WebApplicationException e) {
            LOG.warnf("keycloak_call outcome=failed error=%s", e.toString());
            throw new IdentityException(IdentityException.Reason.UNAVAILABLE, "Keycloak failed: " + e.getMessage(),
                    e);
        }
    }
}
