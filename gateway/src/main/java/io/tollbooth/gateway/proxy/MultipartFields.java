package io.tollbooth.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a few small text fields of a {@code multipart/form-data} body without copying or decoding the rest: the
 * parts are found by searching for the boundary (Netty's substring search, so a large audio file costs a fast
 * scan), and only the values of the fields asked for are read.
 */
final class MultipartFields {

    private static final String MULTIPART = "multipart/form-data";
    private static final int MAX_VALUE_BYTES = 1024;
    private static final ByteBuf HEADERS_END = Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'});

    private final Map<String, String> values;

    private MultipartFields(Map<String, String> values) {
        this.values = values;
    }

    /**
     * The fields named {@code names} of a form.
     *
     * @return the fields found, or null when the content type is not multipart with a boundary or the body does
     *     not contain it
     */
    static MultipartFields read(Buffer body, String contentType, String... names) {
        String boundary = boundary(contentType);
        if (boundary == null) {
            return null;
        }
        ByteBuf bytes = body.getByteBuf();
        ByteBuf delimiter = Unpooled.copiedBuffer("--" + boundary, StandardCharsets.ISO_8859_1);
        ByteBuf nextDelimiter = Unpooled.copiedBuffer("\r\n--" + boundary, StandardCharsets.ISO_8859_1);
        int first = indexOf(delimiter, bytes, bytes.readerIndex());
        if (first < 0) {
            return null;
        }
        Set<String> wanted = Set.of(names);
        Map<String, String> values = new HashMap<>();
        int partStart = first + delimiter.readableBytes();
        while (values.size() < wanted.size()) {
            int headersEnd = indexOf(HEADERS_END, bytes, partStart);
            int partEnd = headersEnd < 0 ? -1 : indexOf(nextDelimiter, bytes, headersEnd);
            if (partEnd < 0) {
                break;
            }
            String headers = bytes.toString(partStart, headersEnd - partStart, StandardCharsets.ISO_8859_1);
            String name = fieldName(headers);
            int valueStart = headersEnd + HEADERS_END.readableBytes();
            if (name != null && wanted.contains(name) && partEnd - valueStart <= MAX_VALUE_BYTES) {
                values.putIfAbsent(name, bytes.toString(valueStart, partEnd - valueStart, StandardCharsets.UTF_8));
            }
            partStart = partEnd + nextDelimiter.readableBytes();
        }
        return new MultipartFields(values);
    }

    /** The value of field {@code name}, or null when the form has none. */
    String value(String name) {
        return values.get(name);
    }

    private static int indexOf(ByteBuf needle, ByteBuf haystack, int from) {
        ByteBuf rest = haystack.slice(from, haystack.writerIndex() - from);
        int found = ByteBufUtil.indexOf(needle, rest);
        return found < 0 ? -1 : from + found;
    }

    /** The boundary parameter of a multipart content type, unquoted; null when there is none. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, MULTIPART, 0, MULTIPART.length())) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String boundary = trimmed.substring("boundary=".length());
                if (boundary.length() > 1 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
                return boundary.isEmpty() ? null : boundary;
            }
        }
        return null;
    }

    /** The {@code name} of a part's {@code Content-Disposition: form-data}, or null. */
    private static String fieldName(String headers) {
        for (String line : headers.split("\r\n")) {
            if (!line.regionMatches(true, 0, "content-disposition:", 0, "content-disposition:".length())) {
                continue;
            }
            for (String parameter : line.split(";")) {
                String trimmed = parameter.trim();
                if (trimmed.startsWith("name=")) {
                    String name = trimmed.substring("name=".length());
                    return name.startsWith("\"") && name.endsWith("\"") && name.length() > 1
                            ? name.substring(1, name.length() - 1) : name;
                }
            }
        }
        return null;
    }
}
