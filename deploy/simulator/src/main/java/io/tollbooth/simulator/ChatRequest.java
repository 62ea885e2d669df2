package io.tollbooth.simulator;

/**
 * What the simulator reads from a chat completion request: only the fields that shape its answer.
 *
 * @param model requested model
 * @param promptTokens prompt tokens counted by {@link SimulatedTokenizer}
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether {@code stream_options.include_usage} asks for a usage chunk
 * @param maxTokens cap on generated tokens, or -1 for none
 * @param plan the request's simulation plan, or {@link SimulationPlan#DEFAULT}
 */
record ChatRequest(String model, int promptTokens, boolean stream, boolean includeUsage, int maxTokens,
        SimulationPlan plan) {
}
