package io.tollbooth.gateway.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * A validated chat completion request.
 *
 * @param model the requested model name
 * @param stream whether the caller asked for a stream
 * @param clientWantsUsage whether the caller asked for the stream's usage chunk
 *     ({@code stream_options.include_usage: true}); a stream always asks the backend for it
 * @param body the request body exactly as the caller sent it
 * @param backendBody the body sent to the backend: the caller's bytes, with {@code include_usage} turned on for a
 *     stream whose caller did not ask for it
 */
public record ChatRequest(String model, boolean stream, boolean clientWantsUsage, Buffer body, Buffer backendBody) {
}
