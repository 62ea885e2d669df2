package io.tollbooth.portal.web;

import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.admin.PeopleResource.Invitation;
import io.tollbooth.portal.identity.IdentityException;
import io.tollbooth.portal.identity.PeopleDirectory;
import io.tollbooth.portal.identity.Person;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the operator's client page and a client admin's people page share: the people of one client as rows, and
 * an invitation checked as the admin API checks it, with Keycloak's refusals put in words for the form.
 */
final class PeopleForms {

    /** The notice after an invitation, on either page. */
    static final String INVITED = "The person was invited. Keycloak asks them to choose a password.";

    /** The notice after a removal, on either page. */
    static final String REMOVED = "The person was removed: their account is disabled and their sessions ended.";

    private static final Map<String, String> LABELS = Map.of("email", "E-mail", "firstName", "First name",
            "lastName", "Last name", "role", "Role");

    private PeopleForms() {
    }

    /**
     * The client's people in the order they were invited; none while Keycloak cannot be reached.
     *
     * @param viewerId the Keycloak user id of the person looking, whose own row offers no removal; null for staff
     */
    static List<PersonRow> rows(PeopleDirectory directory, UUID clientId, String viewerId) {
        try {
            return directory.list(clientId).stream()
                    .sorted(Comparator.comparing(Person::createdAt, Comparator.nullsLast(Comparator.naturalOrder())))
                    .map(p -> new PersonRow(p.id(), p.email(), p.firstName() + " " + p.lastName(), p.role(),
                            p.enabled(), p.id().equals(viewerId)))
                    .toList();
        } catch (IdentityException unavailable) {
            return List.of();
        }
    }

    /**
     * Invites the person the form names to the client.
     *
     * @throws AdminException the form's mistakes (400), an address Keycloak already has (409), Keycloak failing
     */
    static void invite(PeopleDirectory directory, Validator validator, UUID clientId, InviteForm form) {
        Invitation request = new Invitation(form.email(), form.firstName(), form.lastName(), form.role());
        String problems = validator.validate(request).stream().map(PeopleForms::problem).sorted()
                .collect(Collectors.joining(" "));
        if (!problems.isEmpty()) {
            throw AdminException.invalid(problems);
        }
        try {
            directory.invite(clientId, form.email().toLowerCase(Locale.ROOT), form.firstName(), form.lastName(),
                    form.role());
        } catch (IdentityException refusal) {
            throw switch (refusal.reason()) {
                case DUPLICATE -> new AdminException(AdminError.CONFLICT,
                        "Keycloak already has an account for " + form.email() + ".");
                case REJECTED -> new AdminException(AdminError.CONFLICT, refusal.getMessage());
                case UNAVAILABLE -> new AdminException(AdminError.IDENTITY_UNAVAILABLE, refusal.getMessage());
            };
        }
    }

    private static String problem(ConstraintViolation<Invitation> violation) {
        String field = violation.getPropertyPath().toString();
        return LABELS.getOrDefault(field, field) + ": " + violation.getMessage() + ".";
    }

    /**
     * A person as the people table shows them.
     *
     * @param viewer whether this is the person looking at the table
     */
    public record PersonRow(String id, String email, String name, String role, boolean enabled, boolean viewer) {
    }

    /** What was typed into the invitation form. */
    public record InviteForm(String email, String firstName, String lastName, String role) {

        static InviteForm empty() {
            return new InviteForm("", "", "", "client-viewer");
        }

        static InviteForm typed(String email, String firstName, String lastName, String role) {
            return new InviteForm(strip(email), strip(firstName), strip(lastName), strip(role));
        }

        private static String strip(String value) {
            return value == null ? "" : value.strip();
        }
    }
}
