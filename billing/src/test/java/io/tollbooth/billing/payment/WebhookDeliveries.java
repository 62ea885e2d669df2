package io.tollbooth.billing.payment;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Builds Stripe webhook deliveries as Stripe sends them: an event around an object, signed with secrets. */
final class WebhookDeliveries {

    private WebhookDeliveries() {
    }

    /** The compact JSON of an event of {@code type} whose {@code data.object} is {@code object}. */
    static byte[] event(String id, String type, JsonObject object) {
        JsonObject event = new JsonObject();
        event.addProperty("api_version", "2026-05-27.dahlia");
        event.addProperty("created", 1_780_000_000L);
        JsonObject data = new JsonObject();
        data.add("object", object);
        event.add("data", data);
        event.addProperty("id", id);
        event.addProperty("livemode", false);
        event.addProperty("object", "event");
        event.addProperty("pending_webhooks", 1);
        JsonObject request = new JsonObject();
        request.add("id", JsonNull.INSTANCE);
        request.add("idempotency_key", JsonNull.INSTANCE);
        event.add("request", request);
        event.addProperty("type", type);
        return StripeStandIn.json(event).getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code Stripe-Signature} header of a body signed at {@code at} with each secret, one v1 per secret. */
    static String signature(byte[] body, Instant at, String... secrets) {
        long t = at.getEpochSecond();
        return "t=" + t + Arrays.stream(secrets).map(secret -> ",v1=" + StripeSignature.sign(body, t, secret))
                .collect(Collectors.joining());
    }
}
