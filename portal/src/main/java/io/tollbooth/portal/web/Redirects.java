package io.tollbooth.portal.web;

import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/** Redirects between pages that keep what a link asked for. */
final class Redirects {

    private Redirects() {
    }

    /**
     * 303 to {@code path} with the request's own query string, so that a deep link to a section's home, such as
     * {@code /portal/operator?operator=…&month=2026-11}, lands on its first page with the same choice.
     */
    static RestResponse<Void> keepingQuery(String path, UriInfo request) {
        String query = request.getRequestUri().getRawQuery();
        return RestResponse.seeOther(URI.create(query == null || query.isEmpty() ? path : path + "?" + query));
    }
}
