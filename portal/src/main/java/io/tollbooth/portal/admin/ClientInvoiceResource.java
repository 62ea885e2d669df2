package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.admin.InvoiceResource.InvoiceJson;
import io.tollbooth.portal.tenant.Client;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/** Admin API listing one client's invoices; each one's document is {@link InvoiceResource}'s. */
@Path(AdminApi.V1 + "/clients/{clientId}/invoices")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE, Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
@Produces(MediaType.APPLICATION_JSON)
public class ClientInvoiceResource {

    @Inject
    ScopedRecords records;

    /** The client's invoices, drafts included, latest period first; 404 for a client the caller may not see. */
    @GET
    @Transactional
    public List<InvoiceJson> list(@RestPath UUID clientId) {
        Client client = ClientResource.visible(records, clientId);
        return records.invoicesOf(client.id).stream().map(InvoiceJson::of).toList();
    }
}
