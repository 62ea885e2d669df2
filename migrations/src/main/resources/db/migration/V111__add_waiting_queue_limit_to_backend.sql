-- vLLM's waiting queue as a measure of overload: the gateway polls metrics_url (Prometheus text, vLLM's /metrics)
-- for vllm:num_requests_waiting and passes the backend over, spilling to the model's next one, while the gauge is
-- above max_waiting. Both NULL: not watched.
ALTER TABLE backend ADD COLUMN metrics_url TEXT CHECK (metrics_url ~ '^https?://');
ALTER TABLE backend ADD COLUMN max_waiting INT CHECK (max_waiting >= 0);
ALTER TABLE backend ADD CONSTRAINT backend_waiting_limit_needs_metrics
    CHECK (max_waiting IS NULL OR metrics_url IS NOT NULL);
