package io.tollbooth.portal.routing;

import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The invalid fields of one request to change backends or routes, gathered so that the caller learns about all of
 * them at once: one problem document (400) whose {@code errors} name each field and why, the same messages a page
 * shows.
 */
final class Checks {

    private final List<Map<String, String>> errors = new ArrayList<>();

    void fail(String field, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        errors.add(error);
    }

    void require(boolean valid, String field, String message) {
        if (!valid) {
            fail(field, message);
        }
    }

    /** An absolute http or https URL with a host; {@code optional} lets it be absent. */
    void url(String value, String field, boolean optional) {
        if (value == null || value.isBlank()) {
            require(optional, field, "is required");
            return;
        }
        require(isHttpUrl(value), field, "must be an absolute http or https URL such as http://10.0.0.5:8000/v1");
    }

    /** Throws the problem when any field failed. */
    void throwIfInvalid() {
        if (errors.isEmpty()) {
            return;
        }
        String detail = errors.stream().map(error -> error.get("field") + ": " + error.get("message"))
                .collect(Collectors.joining("; "));
        throw new AdminException(AdminError.INVALID_REQUEST, detail, Map.of("errors", List.copyOf(errors)));
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value.strip());
            return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
