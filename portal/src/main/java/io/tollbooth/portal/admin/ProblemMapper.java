package io.tollbooth.portal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.tollbooth.billing.invoice.BillingException;
import io.tollbooth.metering.pricebook.OutOfLinePrice;
import io.tollbooth.metering.pricebook.PriceBookException;
import io.tollbooth.metering.pricebook.PriceChangeCheck;
import io.tollbooth.portal.identity.IdentityException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where admin API failures become RFC 9457 problem JSON: our own {@link AdminException}s, missing or
 * refused credentials, Bean Validation failures, unreadable JSON, billing's refusals, Keycloak's answers,
 * unique-key violations, HTTP errors raised by the framework and, as a last resort, unexpected faults (logged,
 * never shown).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response adminFailure(AdminException e, UriInfo uri) {
        LOG.debugf("admin_request outcome=refused path=%s error=%s detail=%s", path(uri), e.error(), e.detail());
        Response response = problem(e.error(), e.detail(), uri, null, e.extensions());
        if (e.error() == AdminError.UNAUTHORIZED) {
            return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        return response;
    }

    /** No token, or a token Keycloak did not issue for us or that has expired: 401 with a Bearer challenge. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        String detail = e instanceof AuthenticationFailedException
                ? "the bearer token is not valid or has expired"
                : "send a Keycloak access token as 'Authorization: Bearer <token>'";
        return adminFailure(new AdminException(AdminError.UNAUTHORIZED, detail), uri);
    }

    /** A valid token whose roles do not reach this route. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return adminFailure(new AdminException(AdminError.FORBIDDEN, "your roles do not allow this request"), uri);
    }

    /** Keycloak's answers to changes of people: a taken address, rejected details, or Keycloak failing. */
    @ServerExceptionMapper
    public Response identityFailure(IdentityException e, UriInfo uri) {
        AdminError error = switch (e.reason()) {
            case DUPLICATE -> AdminError.CONFLICT;
            case REJECTED -> AdminError.INVALID_REQUEST;
            case UNAVAILABLE -> AdminError.IDENTITY_UNAVAILABLE;
        };
        String detail = error == AdminError.IDENTITY_UNAVAILABLE
                ? "Keycloak could not complete the request; the control plane's log has the cause"
                : e.getMessage();
        return adminFailure(new AdminException(error, detail), uri);
    }

    @ServerExceptionMapper
    public Response invalidInput(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(field(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        String detail = errors.stream()
                .map(error -> error.field() + ": " + error.message())
                .collect(Collectors.joining("; "));
        return problem(AdminError.INVALID_REQUEST, detail, uri, errors, Map.of());
    }

    @ServerExceptionMapper({MismatchedInputException.class, JsonProcessingException.class})
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        String detail = "the request body is not valid JSON";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            detail = "field " + jsonPath(mapping) + " has a value of the wrong type";
        }
        return problem(AdminError.INVALID_REQUEST, detail, uri, null, Map.of());
    }

    /** A unique key enforced by the database, reached although the resource checked first (a concurrent write). */
    @ServerExceptionMapper
    public Response duplicate(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        LOG.infof("admin_request outcome=conflict path=%s constraint=%s", path(uri), e.getConstraintName());
        return problem(AdminError.CONFLICT, "the request conflicts with an existing record", uri, null, Map.of());
    }

    @ServerExceptionMapper
    public Response noSuchResource(NotFoundException e, UriInfo uri) {
        return problem(AdminError.NOT_FOUND, "there is nothing at " + path(uri), uri, null, Map.of());
    }

    /** Other HTTP errors raised by the framework (wrong method, media type, ...): their own status, no type. */
    @ServerExceptionMapper
    public Response httpFailure(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            // The JSON reader wraps syntax errors in a plain 400.
            return unreadableBody(unreadable, uri);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        Problem body = new Problem(URI.create("about:blank"), status.getReasonPhrase(), status.getStatusCode(),
                null, path(uri), null, Map.of());
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "admin_request outcome=failed path=%s", path(uri));
        return problem(AdminError.INTERNAL, "the request failed; the control plane's log has the cause", uri, null,
                Map.of());
    }

    /**
     * Billing's refusals, each with billing's reason and its stable {@code code}: an unknown client, operator or
     * invoice is not found; an amount or billing term out of range is an invalid request; anything else (a period
     * that has not ended, unpriced usage, a change the invoice's status does not allow) is a refusal.
     */
    @ServerExceptionMapper
    public Response billingRefusal(BillingException e, UriInfo uri) {
        AdminError error = switch (e.error()) {
            case CLIENT_NOT_FOUND, OPERATOR_NOT_FOUND, INVOICE_NOT_FOUND -> AdminError.NOT_FOUND;
            case INVALID_AMOUNT, INVALID_BILLING_TERMS -> AdminError.INVALID_REQUEST;
            case PERIOD_NOT_ENDED, UNPRICED_USAGE, CURRENCY_MISMATCH, INVALID_TRANSITION, CREDIT_EXCEEDS_INVOICE,
                    BILLING_DAY_LOCKED -> AdminError.BILLING_REFUSED;
        };
        LOG.infof("admin_request outcome=refused path=%s billing_error=%s", path(uri), e.error());
        return problem(error, e.getMessage(), uri, null, Map.of("code", e.error().name()));
    }

    /**
     * Metering's refusals of a price book change, each with its stable {@code code}. A price out of line also names
     * the check, its factor and every price it held back, so that a caller can show them and confirm.
     */
    @ServerExceptionMapper
    public Response priceBookRefusal(PriceBookException e, UriInfo uri) {
        AdminError error = switch (e.error()) {
            case OPERATOR_NOT_FOUND, PLAN_NOT_FOUND, CLIENT_NOT_FOUND, MODEL_NOT_FOUND -> AdminError.NOT_FOUND;
            case INVALID -> AdminError.INVALID_REQUEST;
            case UNCONFIRMED_PRICE_CHANGE -> AdminError.UNCONFIRMED_PRICE_CHANGE;
        };
        LOG.infof("admin_request outcome=refused path=%s price_book_error=%s", path(uri), e.error());
        Map<String, Object> extensions = e.outOfLine().isEmpty() ? Map.of("code", e.error().name())
                : Map.of("code", e.error().name(), "check", PriceChangeCheck.class.getSimpleName(),
                        "factor", PriceChangeCheck.FACTOR,
                        "outOfLine", e.outOfLine().stream().map(ProblemMapper::outOfLine).toList());
        return problem(error, e.getMessage(), uri, null, extensions);
    }

    private static Map<String, Object> outOfLine(OutOfLinePrice price) {
        return Map.of("model", price.model(), "unit", price.unit(), "proposed", AdminApi.decimal(price.proposed()),
                "basis", price.basis(), "compared", AdminApi.decimal(price.previous()),
                "comparedFrom", price.previousFrom().toString(), "detail", price.detail());
    }

    private static Response problem(AdminError error, String detail, UriInfo uri, List<Problem.FieldError> errors,
            Map<String, Object> extensions) {
        Problem body = new Problem(error.type(), error.title(), error.status(), detail, path(uri), errors,
                extensions);
        return Response.status(error.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /** The field as the caller named it: {@code prices[0].model}, without the Java method and parameter. */
    static String field(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            boolean last = i == nodes.size() - 1;
            if (node.getKind() == ElementKind.METHOD || (node.getKind() == ElementKind.PARAMETER && !last)) {
                continue;
            }
            if (node.isInIterable()) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return field.toString();
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
