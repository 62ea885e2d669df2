package io.tollbooth.portal.pricing;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Client;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A client's moves to other price plans ({@code client_plan_change}), for the admin API and the price book pages
 * alike. A move bills the client's usage from its instant on at the new plan's prices, in metering and in the
 * gateway's budget checks; usage before it keeps its plan. The instant may not be past, so a move never reprices
 * usage that is rated already: correcting past charges is a re-rating, which is audited.
 */
@ApplicationScoped
public class PlanMoves {

    private static final Logger LOG = Logger.getLogger(PlanMoves.class);
    private static final String HISTORY = "SELECT c.id, c.price_plan_id, p.name, c.effective_from, c.created_by,"
            + " c.created_at FROM client_plan_change c JOIN price_plan p ON p.id = c.price_plan_id"
            + " WHERE c.client_id = ? ORDER BY c.effective_from, c.revision";
    private static final String INSERT = "INSERT INTO client_plan_change (id, client_id, price_plan_id, effective_from,"
            + " created_by) VALUES (?, ?, ?, ?, ?) RETURNING created_at";

    @Inject
    AgroalDataSource dataSource;

    /** The client's moves, oldest first (of two for one instant, the later entry last: it is the one that holds). */
    public List<PlanMove> history(UUID clientId) throws SQLException {
        List<PlanMove> moves = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(HISTORY)) {
            statement.setObject(1, clientId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    moves.add(new PlanMove(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getString(3), rows.getObject(4, OffsetDateTime.class).toInstant(),
                            rows.getString(5), rows.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return moves;
    }

    /** The plan that bills the client at {@code at}: its latest move effective by then, else its plan at creation. */
    public UUID planAt(Client client, Instant at) throws SQLException {
        UUID plan = client.pricePlanId;
        for (PlanMove move : history(client.id)) {
            if (!move.effectiveFrom().isAfter(at)) {
                plan = move.planId();
            }
        }
        return plan;
    }

    /**
     * Moves {@code client} to plan {@code planId} from {@code from}.
     *
     * @throws AdminException when {@code from} is before {@code now}, the plan is not the client's operator's, or it
     *     is in another currency than the client is charged in
     */
    public PlanMove move(Client client, UUID planId, Instant from, Instant now, String actor) throws SQLException {
        Instant effective = from.truncatedTo(ChronoUnit.MICROS);
        if (effective.isBefore(now)) {
            throw new AdminException(AdminError.INVALID_REQUEST, "effectiveFrom " + effective + " is before now ("
                    + now + "): a move to another plan applies to usage from now on; correct past usage by "
                    + "re-rating");
        }
        PricePlan plan = PricePlan.<PricePlan>findByIdOptional(planId)
                .filter(found -> found.operatorId.equals(client.operatorId))
                .orElseThrow(() -> AdminException.notFound("price plan", planId));
        if (!plan.currency.trim().equals(client.currency.trim())) {
            throw new AdminException(AdminError.CONFLICT, "price plan " + plan.name + " is in " + plan.currency.trim()
                    + " and client " + client.slug + " is charged in " + client.currency.trim());
        }
        UUID id = UUID.randomUUID();
        Instant createdAt;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setObject(1, id);
            statement.setObject(2, client.id);
            statement.setObject(3, plan.id);
            statement.setTimestamp(4, Timestamp.from(effective));
            statement.setString(5, actor);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                createdAt = rows.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
        LOG.infof("client_plan_changed client=%s plan=%s effective_from=%s actor=%s", client.slug, plan.name,
                effective, actor);
        return new PlanMove(id, plan.id, plan.name, effective, actor, createdAt);
    }

    /**
     * One move.
     *
     * @param planId the plan that bills the client from {@code effectiveFrom} on
     * @param planName that plan's name
     */
    public record PlanMove(UUID id, UUID planId, String planName, Instant effectiveFrom, String createdBy,
            Instant createdAt) {
    }
}
