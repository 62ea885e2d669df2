package io.tollbooth.portal.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document, the body of every admin API error ({@code application/problem+json}).
 *
 * @param type identifies the kind of problem, for example {@code urn:tollbooth:problem:invalid-request}
 * @param title short summary of the kind of problem; the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong in this occurrence, for a person to read
 * @param instance the path of the request that failed
 * @param errors for validation problems: each invalid field and why; absent otherwise
 * @param extensions further members of this kind of problem, written at the top level (RFC 9457 section 3.2),
 *     for example {@code code} of a billing refusal
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors,
        @JsonAnyGetter Map<String, Object> extensions) {

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One invalid input.
     *
     * @param field path of the field in the request, for example {@code prices[0].pricePerMillion}
     * @param message why it is invalid
     */
    public record FieldError(String field, String message) {
    }
}
