package io.tollbooth.portal.pricing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A model name that clients may request from an operator; prices refer to it. */
@Entity
@Table(name = "model")
public class Model extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "operator_id")
    public UUID operatorId;

    /** The name clients send in requests, for example {@code llama-3.1-8b}; unique within the operator. */
    public String name;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<Model> findByName(UUID operatorId, String name) {
        return find("operatorId = ?1 and name = ?2", operatorId, name).firstResultOptional();
    }
}
