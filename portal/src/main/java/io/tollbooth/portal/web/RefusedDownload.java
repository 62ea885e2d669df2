package io.tollbooth.portal.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A download's form shown again with the reason it was refused: the page is written as the body of the download's
 * own answer (400, HTML), so that a route that streams CSV can answer with the page instead.
 */
final class RefusedDownload {

    private RefusedDownload() {
    }

    static RestResponse<StreamingOutput> page(TemplateInstance page) {
        String html = page.render();
        StreamingOutput body = out -> out.write(html.getBytes(StandardCharsets.UTF_8));
        return RestResponse.ResponseBuilder.create(RestResponse.Status.BAD_REQUEST, body)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
