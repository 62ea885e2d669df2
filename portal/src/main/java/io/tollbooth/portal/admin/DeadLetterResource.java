package io.tollbooth.portal.admin;

import io.tollbooth.metering.consumer.DeadLetterReplay;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Admin API for usage records metering could not store: after the cause is fixed (a client created, a bug
 * deployed), replaying sends every dead letter not replayed yet back to the usage topic, where the consumer stores
 * it once; a letter that fails again becomes a new letter with its new reason.
 */
@Path(AdminApi.V1 + "/dead-letters/replay")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private static final Logger LOG = Logger.getLogger(DeadLetterResource.class);

    /** How long a replay waits for the dead-letter topic to answer before it reports what it sent. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Inject
    DeadLetterReplay replay;

    @Inject
    Caller caller;

    /** Replays the dead letters and answers with how many were sent back. */
    @POST
    public ReplayView replay() {
        long replayed = replay.replay(PATIENCE);
        LOG.infof("dead_letters_replayed count=%d actor=%s", replayed, caller.name());
        return new ReplayView(replayed);
    }

    /** @param replayed dead letters sent back to the usage topic by this call */
    public record ReplayView(long replayed) {
    }
}
