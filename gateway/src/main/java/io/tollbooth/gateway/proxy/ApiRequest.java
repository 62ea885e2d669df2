package io.tollbooth.gateway.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * A validated request to one of the proxied endpoints.
 *
 * @param model the requested model name
 * @param stream whether the caller asked for a stream (Ollama's native API streams unless told not to)
 * @param clientWantsUsage whether the caller asked for the stream's usage chunk
 *     ({@code stream_options.include_usage: true}); a chat or completion stream always asks the backend for it
 * @param body the request body exactly as the caller sent it
 * @param backendBody the body sent to the backend: the caller's bytes, with {@code include_usage} turned on for a
 *     chat or completion stream whose caller did not ask for it
 * @param contentType the caller's {@code Content-Type}, passed on to the backend (a multipart boundary with it)
 * @param promptFingerprint a print of the prompt fields (see {@link PromptFingerprint}), or 0 when there are none
 */
record ApiRequest(String model, boolean stream, boolean clientWantsUsage, Buffer body, Buffer backendBody,
        String contentType, long promptFingerprint) {
}
