package io.tollbooth.portal.admin;

import java.util.Map;
import java.util.UUID;

/** A failure the admin API reports to the caller as problem JSON; {@link ProblemMapper} maps it. */
public class AdminException extends RuntimeException {

    private final AdminError error;
    private final Map<String, Object> extensions;

    public AdminException(AdminError error, String detail) {
        this(error, detail, Map.of());
    }

    /** A failure whose problem document carries further members, such as what a partly refused run did. */
    public AdminException(AdminError error, String detail, Map<String, Object> extensions) {
        super(detail);
        this.error = error;
        this.extensions = Map.copyOf(extensions);
    }

    public AdminError error() {
        return error;
    }

    /** Members added to the problem document besides the standard ones; empty for most failures. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** The detail shown to the caller. */
    public String detail() {
        return getMessage();
    }

    public static AdminException notFound(String what, UUID id) {
        return new AdminException(AdminError.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static AdminException conflict(String detail) {
        return new AdminException(AdminError.CONFLICT, detail);
    }

    public static AdminException invalid(String detail) {
        return new AdminException(AdminError.INVALID_REQUEST, detail);
    }
}
