package io.tollbooth.billing.payment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the part of Stripe's API that billing uses, speaking Stripe's wire format: form-encoded
 * requests with bracketed keys ({@code metadata[tollbooth_invoice_id]}), JSON objects with the fields of Stripe's
 * customer, invoiceitem, invoice and payment_intent, and Stripe's error object.
 *
 * <p>It honours {@code Idempotency-Key} as Stripe does: a POST with a key already seen and the same method, path
 * and parameters gets the first answer again (with {@code Idempotent-Replayed: true}) and creates nothing; the same
 * key with other parameters gets a 400 {@code idempotency_error}. Answers are kept once the request was executed
 * (2xx and card errors), not for failures injected before execution.
 *
 * <p>It records every request (method, path, parameters, headers) and can be told, per method and path, to fail
 * with a status, to time out (execute the request, then answer only after the client gave up), or to drop the
 * connection without an answer, the next N times or after N successes.
 */
public final class StripeStandIn implements AutoCloseable {

    /** A payment method id whose off-session charges the stand-in declines, as Stripe's test card does. */
    public static final String DECLINING_PAYMENT_METHOD = "pm_card_chargeDeclined";

    /** A payment method id (a bank debit) whose charges the stand-in leaves processing: paid later, by webhook. */
    public static final String PROCESSING_PAYMENT_METHOD = "pm_standin_bank_debit";

    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private static final String[] CUSTOMER_FIELDS = {"address", "balance", "created", "currency", "default_source",
        "delinquent", "description", "discount", "email", "id", "invoice_prefix", "invoice_settings", "livemode",
        "metadata", "name", "next_invoice_sequence", "object", "phone", "preferred_locales", "shipping",
        "tax_exempt", "test_clock"};

    private static final String[] INVOICE_ITEM_FIELDS = {"amount", "currency", "customer", "date", "description",
        "discountable", "discounts", "id", "invoice", "livemode", "metadata", "object", "period", "proration",
        "quantity", "tax_rates", "test_clock", "parent", "pricing", "net_amount", "customer_account",
        "quantity_decimal"};

    private static final String[] INVOICE_FIELDS = {"account_country", "account_name", "account_tax_ids",
        "amount_due", "amount_paid", "amount_remaining", "amount_shipping", "application", "attempt_count",
        "attempted", "auto_advance", "automatic_tax", "billing_reason", "collection_method", "created", "currency",
        "custom_fields", "customer", "customer_address", "customer_email", "customer_name", "customer_phone",
        "customer_shipping", "customer_tax_exempt", "customer_tax_ids", "default_payment_method", "default_source",
        "default_tax_rates", "description", "discounts", "due_date", "effective_at", "ending_balance", "footer",
        "from_invoice", "hosted_invoice_url", "id", "invoice_pdf", "issuer", "last_finalization_error",
        "latest_revision", "lines", "livemode", "metadata", "next_payment_attempt", "number", "object",
        "on_behalf_of", "payment_settings", "period_end", "period_start", "post_payment_credit_notes_amount",
        "pre_payment_credit_notes_amount", "receipt_number", "rendering", "shipping_cost", "shipping_details",
        "starting_balance", "statement_descriptor", "status", "status_transitions", "subscription", "subtotal",
        "subtotal_excluding_tax", "test_clock", "total", "total_discount_amounts", "total_excluding_tax",
        "webhooks_delivered_at", "automatically_finalizes_at", "total_pretax_credit_amounts", "total_taxes",
        "amount_overpaid", "parent", "customer_account"};

    private static final String[] PAYMENT_INTENT_FIELDS = {"amount", "amount_capturable", "amount_details",
        "amount_received", "application", "application_fee_amount", "automatic_payment_methods", "canceled_at",
        "cancellation_reason", "capture_method", "client_secret", "confirmation_method", "created", "currency",
        "customer", "description", "id", "last_payment_error", "latest_charge", "livemode", "metadata",
        "next_action", "object", "on_behalf_of", "payment_method", "payment_method_configuration_details",
        "payment_method_options", "payment_method_types", "processing", "receipt_email", "review",
        "setup_future_usage", "shipping", "statement_descriptor", "statement_descriptor_suffix", "status",
        "transfer_data", "transfer_group", "source", "excluded_payment_method_types", "customer_account",
        "managed_payments"};

    private static final Pattern OBJECT_PATH = Pattern.compile("/v1/(customers|invoices|payment_intents)/([^/]+)");
    private static final Pattern FINALIZE_PATH = Pattern.compile("/v1/invoices/([^/]+)/finalize");

    /**
     * One request as the stand-in received it.
     *
     * @param method the HTTP method
     * @param path the path, without the query
     * @param params the form (or query) parameters, decoded, in the order sent: {@code metadata[k]} stays one key
     * @param headers the headers, names in lower case
     */
    public record Request(String method, String path, Map<String, String> params, Map<String, String> headers) {

        /** The {@code Idempotency-Key} header; null if none was sent. */
        public String idempotencyKey() {
            return headers.get("idempotency-key");
        }

        /** One parameter; null if it was not sent. */
        public String param(String name) {
            return params.get(name);
        }
    }

    private record Answer(int status, JsonObject body, Map<String, String> headers) {
    }

    private record Kept(String method, String path, Map<String, String> params, Answer answer) {
    }

    private enum FaultKind { FAIL, TIME_OUT, DROP }

    private static final class Fault {
        final String method;
        final Pattern path;
        final FaultKind kind;
        int passBefore;
        int times;
        final Answer failure;

        Fault(String method, String path, FaultKind kind, int passBefore, int times, Answer failure) {
            this.method = method;
            this.path = Pattern.compile(path.replace("*", "[^/]+"));
            this.kind = kind;
            this.passBefore = passBefore;
            this.times = times;
            this.failure = failure;
        }

        boolean matches(Request request) {
            return method.equals(request.method()) && path.matcher(request.path()).matches();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Kept> idempotent = new LinkedHashMap<>();
    private final Map<String, JsonObject> objects = new LinkedHashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private volatile CountDownLatch release = new CountDownLatch(1);
    private long sequence;

    private StripeStandIn(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a stand-in on a free port of the loopback interface. */
    public static StripeStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool();
            StripeStandIn standIn = new StripeStandIn(server, executor);
            server.createContext("/", standIn::handle);
            server.setExecutor(executor);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Stripe stand-in", e);
        }
    }

    /** The base URL to configure as Stripe's API base. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Forgets every object, request, idempotency key and fault, and answers every request still held. */
    public synchronized void reset() {
        requests.clear();
        idempotent.clear();
        objects.clear();
        faults.clear();
        releaseHeld();
    }

    /** Removes every fault and answers every request still held; objects and keys stay. */
    public synchronized void clearFaults() {
        faults.clear();
        releaseHeld();
    }

    /** Every request received, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests with this method and path, in order. */
    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** The objects of one type ({@code "payment_intent"}, {@code "invoiceitem"}, ...), in creation order. */
    public synchronized List<JsonObject> objects(String type) {
        return objects.values().stream().filter(o -> type.equals(o.get("object").getAsString()))
                .map(JsonObject::deepCopy).toList();
    }

    /** One object by id, as it is now. */
    public synchronized JsonObject object(String id) {
        JsonObject object = objects.get(id);
        if (object == null) {
            throw new IllegalArgumentException("the stand-in has no object " + id);
        }
        return object.deepCopy();
    }

    /** Saves a default payment method on a customer, as the client would through Stripe's hosted pages. */
    public synchronized void setDefaultPaymentMethod(String customerId, String paymentMethodId) {
        objects.get(customerId).getAsJsonObject("invoice_settings").addProperty("default_payment_method",
                paymentMethodId);
    }

    /**
     * The next {@code times} requests matching {@code method} and {@code path} ({@code *} matches one path segment)
     * fail with a Stripe error before anything is executed.
     *
     * @param shouldRetry the {@code Stripe-Should-Retry} header to send; null to send none
     */
    public synchronized void failNext(String method, String path, int times, int status, String type, String code,
            String message, Boolean shouldRetry) {
        Map<String, String> headers = shouldRetry == null ? Map.of()
                : Map.of(StripeRetryPolicy.SHOULD_RETRY_HEADER, shouldRetry.toString());
        faults.add(new Fault(method, path, FaultKind.FAIL, 0, times, new Answer(status, error(type, code, message,
                null), headers)));
    }

    /**
     * The next {@code times} matching requests are executed (objects created, answers kept for their idempotency
     * key) but answered only after the client has given up, as when Stripe's answer is slower than the client's
     * read timeout.
     */
    public synchronized void timeOutNext(String method, String path, int times) {
        faults.add(new Fault(method, path, FaultKind.TIME_OUT, 0, times, null));
    }

    /** The next {@code times} matching requests are executed, then the connection is closed without an answer. */
    public synchronized void dropNext(String method, String path, int times) {
        faults.add(new Fault(method, path, FaultKind.DROP, 0, times, null));
    }

    /**
     * The first {@code successes} matching requests pass; every one after is executed and its connection closed
     * without an answer, until {@link #clearFaults()}: the process that sent them died, or Stripe became
     * unreachable, right after Stripe did the work.
     */
    public synchronized void dropAfter(String method, String path, int successes) {
        faults.add(new Fault(method, path, FaultKind.DROP, successes, Integer.MAX_VALUE, null));
    }

    @Override
    public void close() {
        releaseHeld();
        server.stop(0);
        executor.shutdownNow();
    }

    private void releaseHeld() {
        release.countDown();
        release = new CountDownLatch(1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Request request = read(exchange);
        requests.add(request);
        CountDownLatch held = release;
        Fault fault;
        Answer answer;
        synchronized (this) {
            fault = takeFault(request);
            answer = fault != null && fault.kind == FaultKind.FAIL ? fault.failure : execute(request);
        }
        if (fault != null && fault.kind == FaultKind.DROP) {
            exchange.close();
            return;
        }
        if (fault != null && fault.kind == FaultKind.TIME_OUT) {
            awaitRelease(held);
        }
        write(exchange, answer);
    }

    private Fault takeFault(Request request) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (!fault.matches(request)) {
                continue;
            }
            if (fault.passBefore > 0) {
                fault.passBefore--;
                return null;
            }
            if (--fault.times == 0) {
                it.remove();
            }
            return fault;
        }
        return null;
    }

    private static void awaitRelease(CountDownLatch held) {
        try {
            // Held until the test resets the stand-in; the bound only keeps a forgotten request from hanging forever.
            held.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Answer execute(Request request) {
        String authorization = request.headers().get("authorization");
        if (authorization == null || !authorization.startsWith("Bearer sk_")) {
            return new Answer(401, error("invalid_request_error", null, "Invalid API Key provided", null), Map.of());
        }
        String key = request.idempotencyKey();
        if (!"POST".equals(request.method()) || key == null) {
            return route(request);
        }
        Kept kept = idempotent.get(key);
        if (kept != null) {
            return replay(kept, request, key);
        }
        Answer answer = route(request);
        if (answer.status() < 300 || answer.status() == 402) {
            idempotent.put(key, new Kept(request.method(), request.path(), request.params(), answer));
        }
        return answer;
    }

    private static Answer replay(Kept kept, Request request, String key) {
        if (!kept.method().equals(request.method()) || !kept.path().equals(request.path())
                || !kept.params().equals(request.params())) {
            return new Answer(400, error("idempotency_error", null, "Keys for idempotent requests can only be used"
                    + " with the same parameters they were first used with. Try using a key other than '" + key
                    + "' if you meant to execute a different request.", null), Map.of());
        }
        Map<String, String> headers = new LinkedHashMap<>(kept.answer().headers());
        headers.put("Idempotent-Replayed", "true");
        return new Answer(kept.answer().status(), kept.answer().body(), headers);
    }

    private Answer route(Request request) {
        String method = request.method();
        String path = request.path();
        Matcher finalize = FINALIZE_PATH.matcher(path);
        Matcher object = OBJECT_PATH.matcher(path);
        if ("POST".equals(method) && path.equals("/v1/customers")) {
            return ok(createCustomer(request.params()));
        } else if ("POST".equals(method) && path.equals("/v1/invoices")) {
            return createInvoice(request.params());
        } else if ("POST".equals(method) && path.equals("/v1/invoiceitems")) {
            return createInvoiceItem(request.params());
        } else if ("POST".equals(method) && path.equals("/v1/payment_intents")) {
            return createPaymentIntent(request.params());
        } else if ("POST".equals(method) && finalize.matches()) {
            return finalizeInvoice(finalize.group(1), request.params());
        } else if ("POST".equals(method) && object.matches() && object.group(1).equals("customers")) {
            return updateCustomer(object.group(2), request.params());
        } else if ("GET".equals(method) && object.matches()) {
            JsonObject found = objects.get(object.group(2));
            return found == null ? missing(object.group(2)) : ok(found);
        }
        return new Answer(404, error("invalid_request_error", null, "Unrecognized request URL (" + method + ": "
                + path + ").", null), Map.of());
    }

    private JsonObject createCustomer(Map<String, String> params) {
        JsonObject customer = template(CUSTOMER_FIELDS, "customer", "cus");
        customer.addProperty("balance", 0);
        customer.addProperty("delinquent", false);
        customer.addProperty("name", params.get("name"));
        customer.addProperty("email", params.get("email"));
        customer.addProperty("invoice_prefix", "SI" + sequence);
        customer.addProperty("next_invoice_sequence", 1);
        customer.add("preferred_locales", new JsonArray());
        customer.addProperty("tax_exempt", "none");
        JsonObject settings = new JsonObject();
        settings.add("custom_fields", JsonNull.INSTANCE);
        settings.add("default_payment_method", JsonNull.INSTANCE);
        settings.add("footer", JsonNull.INSTANCE);
        settings.add("rendering_options", JsonNull.INSTANCE);
        customer.add("invoice_settings", settings);
        customer.add("metadata", metadata(params, new JsonObject()));
        return store(customer);
    }

    private Answer updateCustomer(String id, Map<String, String> params) {
        JsonObject customer = objects.get(id);
        if (customer == null) {
            return missing(id);
        }
        if (params.containsKey("name")) {
            customer.addProperty("name", params.get("name"));
        }
        if (params.containsKey("invoice_settings[default_payment_method]")) {
            customer.getAsJsonObject("invoice_settings").addProperty("default_payment_method",
                    params.get("invoice_settings[default_payment_method]"));
        }
        metadata(params, customer.getAsJsonObject("metadata"));
        return ok(customer);
    }

    private Answer createInvoice(Map<String, String> params) {
        String customer = params.get("customer");
        if (customer == null) {
            return parameterMissing("customer");
        }
        if (!objects.containsKey(customer)) {
            return missing(customer);
        }
        JsonObject invoice = template(INVOICE_FIELDS, "invoice", "in");
        invoice.addProperty("customer", customer);
        invoice.addProperty("currency", params.get("currency"));
        invoice.addProperty("collection_method", params.getOrDefault("collection_method", "charge_automatically"));
        invoice.addProperty("auto_advance", Boolean.parseBoolean(params.getOrDefault("auto_advance", "true")));
        invoice.addProperty("description", params.get("description"));
        invoice.addProperty("status", "draft");
        invoice.addProperty("billing_reason", "manual");
        invoice.addProperty("attempt_count", 0);
        invoice.addProperty("attempted", false);
        invoice.addProperty("starting_balance", 0);
        invoice.addProperty("amount_paid", 0);
        invoice.addProperty("amount_shipping", 0);
        invoice.addProperty("post_payment_credit_notes_amount", 0);
        invoice.addProperty("pre_payment_credit_notes_amount", 0);
        invoice.add("discounts", new JsonArray());
        invoice.add("default_tax_rates", new JsonArray());
        invoice.add("total_discount_amounts", new JsonArray());
        JsonObject lines = new JsonObject();
        lines.add("data", new JsonArray());
        lines.addProperty("has_more", false);
        lines.addProperty("object", "list");
        lines.addProperty("url", "/v1/invoices/" + invoice.get("id").getAsString() + "/lines");
        invoice.add("lines", lines);
        JsonObject transitions = new JsonObject();
        for (String name : new String[] {"finalized_at", "marked_uncollectible_at", "paid_at", "voided_at"}) {
            transitions.add(name, JsonNull.INSTANCE);
        }
        invoice.add("status_transitions", transitions);
        invoice.add("metadata", metadata(params, new JsonObject()));
        setTotal(invoice, 0);
        return ok(store(invoice));
    }

    private Answer createInvoiceItem(Map<String, String> params) {
        for (String required : new String[] {"customer", "amount", "currency"}) {
            if (params.get(required) == null) {
                return parameterMissing(required);
            }
        }
        String invoiceId = params.get("invoice");
        JsonObject invoice = invoiceId == null ? null : objects.get(invoiceId);
        if (invoiceId != null && invoice == null) {
            return missing(invoiceId);
        }
        if (invoice != null && !"draft".equals(invoice.get("status").getAsString())) {
            return new Answer(400, error("invalid_request_error", "invoice_not_editable", "You can only add invoice"
                    + " items to draft invoices.", "invoice"), Map.of());
        }
        long amount = Long.parseLong(params.get("amount"));
        JsonObject item = template(INVOICE_ITEM_FIELDS, "invoiceitem", "ii");
        item.addProperty("amount", amount);
        item.addProperty("net_amount", amount);
        item.addProperty("currency", params.get("currency"));
        item.addProperty("customer", params.get("customer"));
        item.addProperty("date", Instant.now().getEpochSecond());
        item.addProperty("description", params.get("description"));
        item.addProperty("discountable", true);
        item.add("discounts", new JsonArray());
        item.addProperty("invoice", invoiceId);
        item.addProperty("proration", false);
        item.addProperty("quantity", 1);
        item.add("tax_rates", new JsonArray());
        item.add("metadata", metadata(params, new JsonObject()));
        store(item);
        if (invoice != null) {
            addLine(invoice, item);
        }
        return ok(item);
    }

    private void addLine(JsonObject invoice, JsonObject item) {
        JsonObject line = new JsonObject();
        line.addProperty("id", "il_standin_" + (++sequence));
        line.addProperty("object", "line_item");
        line.addProperty("amount", item.get("amount").getAsLong());
        line.addProperty("currency", item.get("currency").getAsString());
        line.add("description", item.get("description"));
        line.addProperty("invoice", invoice.get("id").getAsString());
        line.add("metadata", item.get("metadata").deepCopy());
        line.addProperty("quantity", 1);
        invoice.getAsJsonObject("lines").getAsJsonArray("data").add(line);
        setTotal(invoice, invoice.get("total").getAsLong() + item.get("amount").getAsLong());
    }

    private static void setTotal(JsonObject invoice, long total) {
        for (String field : new String[] {"subtotal", "subtotal_excluding_tax", "total", "total_excluding_tax",
            "amount_due", "amount_remaining"}) {
            invoice.addProperty(field, total);
        }
    }

    private Answer finalizeInvoice(String id, Map<String, String> params) {
        JsonObject invoice = objects.get(id);
        if (invoice == null) {
            return missing(id);
        }
        if (!"draft".equals(invoice.get("status").getAsString())) {
            return new Answer(400, error("invalid_request_error", "invoice_not_editable", "This invoice is already"
                    + " finalized, you can't re-finalize a non-draft invoice.", null), Map.of());
        }
        invoice.addProperty("status", "open");
        invoice.addProperty("number", "STANDIN-" + String.format(Locale.ROOT, "%04d", ++sequence));
        if (params.containsKey("auto_advance")) {
            invoice.addProperty("auto_advance", Boolean.parseBoolean(params.get("auto_advance")));
        }
        invoice.getAsJsonObject("status_transitions").addProperty("finalized_at", Instant.now().getEpochSecond());
        return ok(invoice);
    }

    private Answer createPaymentIntent(Map<String, String> params) {
        for (String required : new String[] {"amount", "currency"}) {
            if (params.get(required) == null) {
                return parameterMissing(required);
            }
        }
        JsonObject intent = template(PAYMENT_INTENT_FIELDS, "payment_intent", "pi");
        long amount = Long.parseLong(params.get("amount"));
        intent.addProperty("amount", amount);
        intent.addProperty("amount_capturable", 0);
        intent.addProperty("amount_received", 0);
        intent.addProperty("currency", params.get("currency"));
        intent.addProperty("customer", params.get("customer"));
        intent.addProperty("description", params.get("description"));
        intent.addProperty("payment_method", params.get("payment_method"));
        intent.addProperty("capture_method", "automatic");
        intent.addProperty("confirmation_method", "automatic");
        intent.addProperty("client_secret", intent.get("id").getAsString() + "_secret_standin");
        JsonArray types = new JsonArray();
        types.add("card");
        intent.add("payment_method_types", types);
        intent.add("payment_method_options", new JsonObject());
        intent.add("metadata", metadata(params, new JsonObject()));
        if ("true".equals(params.get("automatic_payment_methods[enabled]"))) {
            JsonObject automatic = new JsonObject();
            automatic.addProperty("enabled", true);
            automatic.addProperty("allow_redirects", params.get("automatic_payment_methods[allow_redirects]"));
            intent.add("automatic_payment_methods", automatic);
        }
        store(intent);
        boolean confirm = "true".equals(params.get("confirm"));
        String paymentMethod = params.get("payment_method");
        if (!confirm) {
            intent.addProperty("status", paymentMethod == null ? "requires_payment_method" : "requires_confirmation");
            return ok(intent);
        }
        if (paymentMethod == null || DECLINING_PAYMENT_METHOD.equals(paymentMethod)) {
            return decline(intent);
        }
        if (PROCESSING_PAYMENT_METHOD.equals(paymentMethod)) {
            intent.addProperty("status", "processing");
            return ok(intent);
        }
        intent.addProperty("status", "succeeded");
        intent.addProperty("amount_received", amount);
        intent.addProperty("latest_charge", "ch_standin_" + (++sequence));
        return ok(intent);
    }

    private static Answer decline(JsonObject intent) {
        JsonObject lastError = new JsonObject();
        lastError.addProperty("type", "card_error");
        lastError.addProperty("code", "card_declined");
        lastError.addProperty("decline_code", "generic_decline");
        lastError.addProperty("message", "Your card was declined.");
        intent.add("last_payment_error", lastError);
        intent.addProperty("status", "requires_payment_method");
        JsonObject body = error("card_error", "card_declined", "Your card was declined.", null);
        body.getAsJsonObject("error").addProperty("decline_code", "generic_decline");
        body.getAsJsonObject("error").add("payment_intent", intent.deepCopy());
        return new Answer(402, body, Map.of());
    }

    private JsonObject template(String[] fields, String type, String idPrefix) {
        JsonObject object = new JsonObject();
        for (String field : fields) {
            object.add(field, JsonNull.INSTANCE);
        }
        object.addProperty("id", idPrefix + "_standin_" + (++sequence));
        object.addProperty("object", type);
        object.addProperty("created", Instant.now().getEpochSecond());
        object.addProperty("livemode", false);
        object.add("metadata", new JsonObject());
        return object;
    }

    private JsonObject store(JsonObject object) {
        objects.put(object.get("id").getAsString(), object);
        return object;
    }

    private static JsonObject metadata(Map<String, String> params, JsonObject metadata) {
        params.forEach((name, value) -> {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                metadata.addProperty(name.substring("metadata[".length(), name.length() - 1), value);
            }
        });
        return metadata;
    }

    private static Answer ok(JsonObject object) {
        return new Answer(200, object.deepCopy(), Map.of());
    }

    private static Answer missing(String id) {
        return new Answer(404, error("invalid_request_error", "resource_missing", "No such object: '" + id + "'",
                "id"), Map.of());
    }

    private static Answer parameterMissing(String param) {
        return new Answer(400, error("invalid_request_error", "parameter_missing", "Missing required param: "
                + param + ".", param), Map.of());
    }

    private static JsonObject error(String type, String code, String message, String param) {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        error.add("code", code == null ? JsonNull.INSTANCE : new JsonPrimitive(code));
        error.addProperty("message", message);
        error.add("param", param == null ? JsonNull.INSTANCE : new JsonPrimitive(param));
        error.add("doc_url", JsonNull.INSTANCE);
        JsonObject body = new JsonObject();
        body.add("error", error);
        return body;
    }

    private static Request read(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                String.join(",", values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, String> params = form("POST".equals(exchange.getRequestMethod()) ? body
                : Objects.requireNonNullElse(query, ""));
        return new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), params,
                Map.copyOf(headers));
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value,
                    StandardCharsets.UTF_8));
        }
        return params;
    }

    private void write(HttpExchange exchange, Answer answer) {
        try {
            byte[] body = GSON.toJson(answer.body()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_standin_" + requests.size());
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException clientGone) {
            // The client gave up (a timed-out request); Stripe would have done the work all the same.
            exchange.close();
        }
    }

    /** The JSON of an object, for tests that embed it in a webhook event. */
    public static String json(JsonElement element) {
        return GSON.toJson(element);
    }
}
