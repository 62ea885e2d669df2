package io.tollbooth.billing.payment;

import com.google.gson.JsonParseException;
import com.stripe.model.Event;
import com.stripe.net.ApiResource;
import io.tollbooth.billing.payment.WebhookRejectedException.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Receives Stripe's webhook deliveries: verifies the signature on the raw body against the configured secrets and
 * the clock, reads the event, and has {@link StripeEvents} apply it exactly once.
 */
@ApplicationScoped
public class StripeWebhooks {

    private static final Logger LOG = Logger.getLogger(StripeWebhooks.class);

    private final StripeConfig config;
    private final StripeEvents events;
    private final Clock clock;

    StripeWebhooks(StripeConfig config, StripeEvents events, Clock clock) {
        this.config = config;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Handles one delivery.
     *
     * @param rawBody the request body exactly as received, never parsed or re-encoded before this call
     * @param signatureHeader the {@code Stripe-Signature} header; null if absent
     * @return what the event did, or that it was a duplicate (acknowledge both with 2xx)
     * @throws WebhookRejectedException if Stripe is off or has no webhook secret, the signature does not verify,
     *     or the body is not an event; nothing was written
     */
    public WebhookReceipt receive(byte[] rawBody, String signatureHeader) {
        List<String> secrets = config.webhookSecrets().orElse(List.of()).stream()
                .filter(secret -> !secret.isBlank()).toList();
        if (!config.enabled() || secrets.isEmpty()) {
            throw new WebhookRejectedException(Reason.NOT_ACCEPTING, "Stripe webhooks are not accepted: set"
                    + " tollbooth.billing.stripe.enabled and tollbooth.billing.stripe.webhook-secrets");
        }
        try {
            StripeSignature.verify(rawBody, signatureHeader, secrets, clock.instant(), config.webhookTolerance());
        } catch (WebhookRejectedException rejected) {
            LOG.warnf("stripe_webhook outcome=rejected reason='%s'", rejected.getMessage());
            throw rejected;
        }
        Event event = parse(rawBody);
        WebhookReceipt receipt = events.process(event);
        LOG.infof("stripe_webhook event=%s type=%s duplicate=%s invoice_id=%s effect=%s", receipt.eventId(),
                receipt.type(), receipt.duplicate(), receipt.invoiceId(), receipt.effect());
        return receipt;
    }

    private static Event parse(byte[] rawBody) {
        Event event;
        try {
            event = ApiResource.GSON.fromJson(new String(rawBody, StandardCharsets.UTF_8), Event.class);
        } catch (JsonParseException e) {
            throw new WebhookRejectedException(Reason.NOT_AN_EVENT, "the body is not JSON: " + e.getMessage());
        }
        if (event == null || event.getId() == null || event.getType() == null || !"event".equals(event.getObject())) {
            throw new WebhookRejectedException(Reason.NOT_AN_EVENT, "the body is not a Stripe event");
        }
        return event;
    }
}
