package io.tollbooth.portal.admin;

import java.util.UUID;

/** A failure the admin API reports to the caller as problem JSON; {@link ProblemMapper} maps it. */
public class AdminException extends RuntimeException {

    private final AdminError error;

    public AdminException(AdminError error, String detail) {
        super(detail);
        this.error = error;
    }

    public AdminError error() {
        return error;
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
