package io.tollbooth.portal.webhook;

import io.tollbooth.billing.payment.StripeWebhooks;
import io.tollbooth.billing.payment.WebhookReceipt;
import io.tollbooth.billing.payment.WebhookRejectedException;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Where Stripe delivers its webhook events: {@code POST /webhooks/stripe}, the address to register in Stripe's
 * dashboard. Stripe holds no token of ours, so the route is open; trust comes from the {@code Stripe-Signature}
 * header, which {@link StripeWebhooks} verifies on the body exactly as it arrived (read as bytes here, never parsed
 * first). An event applied now or already applied is acknowledged with 200; a delivery that cannot be trusted or
 * read gets 400, and one that arrives while payments are off or no secret is set gets 503, so that Stripe delivers
 * it again later.
 */
@Path("/webhooks/stripe")
@PermitAll
public class StripeWebhookResource {

    @Inject
    StripeWebhooks webhooks;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Map<String, Object>> receive(byte[] body,
            @RestHeader("Stripe-Signature") String signature) {
        try {
            WebhookReceipt receipt = webhooks.receive(body, signature);
            return RestResponse.ok(Map.of("received", true, "duplicate", receipt.duplicate()));
        } catch (WebhookRejectedException e) {
            RestResponse.Status status = e.reason() == WebhookRejectedException.Reason.NOT_ACCEPTING
                    ? RestResponse.Status.SERVICE_UNAVAILABLE : RestResponse.Status.BAD_REQUEST;
            return RestResponse.status(status, Map.of("received", false, "error", e.getMessage()));
        }
    }
}
