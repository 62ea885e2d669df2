package io.tollbooth.portal.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.admin.PeopleResource;
import io.tollbooth.portal.identity.PeopleDirectory;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.web.ClientPages.PageFrame;
import io.tollbooth.portal.web.PeopleForms.InviteForm;
import io.tollbooth.portal.web.PeopleForms.PersonRow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A client admin's page of their own company's people: who can sign in, invite another, remove one. The client
 * is the one the admin's token names; Keycloak holds the accounts (see {@link PeopleDirectory}).
 */
@Path("/portal/people")
@RolesAllowed(Roles.CLIENT_ADMIN)
@Produces(MediaType.TEXT_HTML)
public class ClientPeoplePages {

    private static final Logger LOG = Logger.getLogger(ClientPeoplePages.class);

    /** What a change did, by the code the page is redirected with, so that no free text travels in a URL. */
    private static final Map<String, String> NOTICES = Map.of("invited", PeopleForms.INVITED,
            "removed", PeopleForms.REMOVED);

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance people(PageFrame frame, List<PersonRow> people, InviteForm invite,
                String notice, String error, String errorSection);
    }

    @Inject
    ScopedRecords records;

    @Inject
    Caller caller;

    @Inject
    PeopleDirectory directory;

    @Inject
    Validator validator;

    @Context
    HttpHeaders headers;

    @GET
    @Transactional
    public TemplateInstance people(@RestQuery String done) {
        return page(ClientPages.ownClient(records), InviteForm.empty(), done == null ? null : NOTICES.get(done), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> invite(@RestForm String email, @RestForm String firstName,
            @RestForm String lastName, @RestForm String role) {
        Client client = ClientPages.ownClient(records);
        InviteForm form = InviteForm.typed(email, firstName, lastName, role);
        try {
            PeopleForms.invite(directory, validator, client.id, form);
        } catch (AdminException refusal) {
            return refused(refusal, page(client, form, null, refusal.detail()));
        }
        LOG.infof("person_invited client=%s role=%s actor=%s", client.id, form.role(), caller.name());
        return RestResponse.seeOther(URI.create("/portal/people?done=invited"));
    }

    /** Disables one of the client's people; another client's person is not found, and nobody removes themselves. */
    @POST
    @Path("{personId}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public RestResponse<TemplateInstance> remove(@RestPath String personId) {
        Client client = ClientPages.ownClient(records);
        try {
            PeopleResource.refuseSelfRemoval(caller, client, personId);
        } catch (AdminException refusal) {
            return refused(refusal, page(client, InviteForm.empty(), null, refusal.detail()));
        }
        directory.disable(client.id, personId).orElseThrow(() -> new AdminException(AdminError.NOT_FOUND,
                "person " + personId + " does not exist"));
        LOG.infof("person_removed client=%s person=%s actor=%s", client.id, personId, caller.name());
        return RestResponse.seeOther(URI.create("/portal/people?done=removed"));
    }

    private static RestResponse<TemplateInstance> refused(AdminException refusal, TemplateInstance page) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(refusal.error().status()), page)
                .build();
    }

    private TemplateInstance page(Client client, InviteForm invite, String notice, String error) {
        ViewerFormat format = ClientPages.format(client, headers);
        List<PersonRow> people = PeopleForms.rows(directory, client.id, caller.subject().orElse(null));
        return Templates.people(PageFrame.of(client, caller, format, "people"), people, invite, notice, error,
                error == null ? null : "people");
    }
}
