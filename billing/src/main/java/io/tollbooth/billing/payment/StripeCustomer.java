package io.tollbooth.billing.payment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The Stripe customer of a client (table {@code stripe_customer}). Invoices of the client finalized after
 * {@link #createdAt} are collected through Stripe.
 */
@Entity
@Table(name = "stripe_customer")
public class StripeCustomer extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public UUID clientId;

    /** Stripe's id, {@code cus_...}. */
    @Column(name = "customer_id", nullable = false)
    public String customerId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
