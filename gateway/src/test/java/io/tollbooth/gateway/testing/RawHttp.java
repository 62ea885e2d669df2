package io.tollbooth.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain HTTP calls for tests that look at the exact bytes on the wire, or that hang up in the middle of a stream,
 * which an SDK would not let them do.
 */
public final class RawHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern REQUEST_ID = Pattern.compile("(?im)^x-request-id: *([^\\r\\n]+)$");

    private RawHttp() {
    }

    /** POSTs {@code json} to {@code url}, with a bearer key unless it is null, and returns the whole response. */
    public static HttpResponse<String> post(URI url, String key, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * POSTs {@code body} to {@code url} with the given headers (name, value, name, value...) and returns the answer
     * as the bytes that came, with nothing decoded.
     */
    public static Answer send(URI url, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("x-request-id").orElse(null),
                    response.headers().firstValue("content-type").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * POSTs {@code json} over a plain socket, reads the response until {@code awaited} has arrived, then closes
     * the connection mid-response, as a caller that gives up does.
     *
     * @return the request id the gateway answered with
     */
    public static String postAndHangUp(URI baseUrl, String path, String key, String json, String awaited) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + baseUrl.getHost() + "\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket(baseUrl.getHost(), baseUrl.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String received = readUntil(socket.getInputStream(), awaited);
            Matcher requestId = REQUEST_ID.matcher(received);
            if (!requestId.find()) {
                throw new IllegalStateException("no x-request-id in " + received);
            }
            return requestId.group(1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * POSTs {@code json} over a plain socket, reads the stream until {@code events} server-sent events have
     * arrived, then closes the connection, as a caller that gives up mid-stream does.
     *
     * @return the request id the gateway answered with
     */
    public static String postAndHangUpAfterEvents(URI baseUrl, String path, String key, String json, int events) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + baseUrl.getHost() + "\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket(baseUrl.getHost(), baseUrl.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String received = readEvents(socket.getInputStream(), events);
            Matcher requestId = REQUEST_ID.matcher(received);
            if (!requestId.find()) {
                throw new IllegalStateException("no x-request-id in " + received);
            }
            return requestId.group(1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readEvents(InputStream in, int events) throws IOException {
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (received.toString().split("\ndata: ", -1).length - 1 < events) {
            int read = in.read(buffer);
            if (read < 0) {
                throw new IllegalStateException("the response ended before " + events + " events: " + received);
            }
            received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
        return received.toString();
    }

    private static String readUntil(InputStream in, String awaited) throws IOException {
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!received.toString().contains(awaited)) {
            int read = in.read(buffer);
            if (read < 0) {
                throw new IllegalStateException("the response ended before " + awaited + ": " + received);
            }
            received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
        return received.toString();
    }

    /**
     * An answer as it arrived.
     *
     * @param status the HTTP status
     * @param requestId the {@code x-request-id} header, or null
     * @param contentType the {@code Content-Type} header, or null
     * @param body the body's bytes, exactly
     */
    public record Answer(int status, String requestId, String contentType, byte[] body) {

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
