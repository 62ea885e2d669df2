package io.tollbooth.billing.payment;

import com.stripe.model.Customer;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerUpdateParams;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Links clients to Stripe customers: creates the customer once (idempotency key from the client id), keeps its name
 * and metadata current, and stores its id in {@code stripe_customer}. A client linked here is collected through
 * Stripe from then on.
 */
@ApplicationScoped
public class StripeCustomers {

    private static final Logger LOG = Logger.getLogger(StripeCustomers.class);

    private static final String LINK = """
            INSERT INTO stripe_customer (client_id, customer_id, created_at, updated_at) VALUES (:client, :customer,
            :now, :now) ON CONFLICT (client_id) DO NOTHING
            """;

    private final StripeApi stripe;
    private final Clock clock;

    StripeCustomers(StripeApi stripe, Clock clock) {
        this.stripe = stripe;
        this.clock = clock;
    }

    /** The client's Stripe customer id, if the client is linked to one. */
    public Optional<String> customerOf(UUID clientId) {
        return QuarkusTransaction.joiningExisting().call(() -> StripeCustomer.<StripeCustomer>findByIdOptional(clientId)
                .map(customer -> customer.customerId));
    }

    /**
     * The client's Stripe customer id, creating the customer at Stripe and linking it first if the client has none.
     *
     * @throws PaymentSyncException if Stripe cannot create it
     * @throws IllegalArgumentException if there is no such client
     */
    public String ensure(UUID clientId) {
        return customerOf(clientId).orElseGet(() -> create(clientId));
    }

    /**
     * Creates the client's Stripe customer, or updates its name and metadata to the client's current ones.
     *
     * @return the Stripe customer id
     * @throws PaymentSyncException if Stripe refuses or cannot be reached
     * @throws IllegalArgumentException if there is no such client
     */
    public String sync(UUID clientId) {
        Optional<String> existing = customerOf(clientId);
        if (existing.isEmpty()) {
            return create(clientId);
        }
        Profile profile = profile(clientId);
        CustomerUpdateParams params = CustomerUpdateParams.builder()
                .setName(profile.name())
                .putMetadata("tollbooth_client_id", clientId.toString())
                .putMetadata("tollbooth_client_slug", profile.slug())
                .build();
        String customerId = existing.get();
        stripe.send("update customer", IdempotencyKeys.customerUpdate(clientId, profile.fingerprint()),
                (s, options) -> s.v1().customers().update(customerId, params, options));
        QuarkusTransaction.requiringNew().run(() -> StripeCustomer.<StripeCustomer>findByIdOptional(clientId)
                .ifPresent(customer -> customer.updatedAt = clock.instant()));
        LOG.infof("stripe customer updated client=%s customer=%s", profile.slug(), customerId);
        return customerId;
    }

    private String create(UUID clientId) {
        Profile profile = profile(clientId);
        CustomerCreateParams params = CustomerCreateParams.builder()
                .setName(profile.name())
                .putMetadata("tollbooth_client_id", clientId.toString())
                .putMetadata("tollbooth_client_slug", profile.slug())
                .build();
        Customer customer = stripe.send("create customer", IdempotencyKeys.customer(clientId),
                (s, options) -> s.v1().customers().create(params, options));
        String linked = link(clientId, customer.getId());
        LOG.infof("stripe customer linked client=%s customer=%s", profile.slug(), linked);
        return linked;
    }

    private String link(UUID clientId, String customerId) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            Panache.getEntityManager().createNativeQuery(LINK)
                    .setParameter("client", clientId)
                    .setParameter("customer", customerId)
                    .setParameter("now", now)
                    .executeUpdate();
            // Two links at once: both sent the same idempotency key, so both got the same customer.
            return StripeCustomer.<StripeCustomer>findById(clientId).customerId;
        });
    }

    private Profile profile(UUID clientId) {
        List<?> rows = QuarkusTransaction.joiningExisting().call(() -> Panache.getEntityManager()
                .createNativeQuery("SELECT name, slug FROM client WHERE id = :client")
                .setParameter("client", clientId).getResultList());
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no client " + clientId);
        }
        Object[] row = (Object[]) rows.get(0);
        return new Profile((String) row[0], (String) row[1]);
    }

    /** What the Stripe customer shows of a client. */
    private record Profile(String name, String slug) {

        /** Identifies this content, so that the same update sent twice carries the same idempotency key. */
        String fingerprint() {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256")
                        .digest((name + "\n" + slug).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }
}
