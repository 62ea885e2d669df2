package io.tollbooth.portal.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.tollbooth.portal.admin.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Shows a problem as a page when a person's browser met it: the admin API's problem JSON is right for scripts,
 * but a bad link or a refusal under {@code /portal} should read as a page. Only requests that name
 * {@code text/html} among what they accept get the page (a browser loading a page does; the dashboard's own data
 * requests and scripts do not). The status stays the same; the page carries the problem's title and detail.
 */
public class PageProblems {

    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    @Inject
    @Location("problem.html")
    Template page;

    @ServerResponseFilter
    public void asPage(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && underPortal(request.getUriInfo().getPath())
                && request.getAcceptableMediaTypes().stream().anyMatch(PageProblems::isHtml)) {
            response.setEntity(page.data("problem", problem).render(), null, HTML);
        }
    }

    private static boolean isHtml(MediaType type) {
        return type.getType().equals("text") && type.getSubtype().equals("html");
    }

    private static boolean underPortal(String path) {
        return path.equals("/portal") || path.startsWith("/portal/");
    }
}
