-- What software a backend runs, so that operators see at a glance which backends are local servers and which are
-- cloud APIs with their own credentials: 'vllm', 'ollama', 'llama_cpp', 'openai' (any OpenAI-compatible API) or
-- 'anthropic'. The gateway chooses the API shape by the client's path and does not read it; existing backends are
-- taken as OpenAI-compatible.
ALTER TABLE backend ADD COLUMN kind TEXT NOT NULL DEFAULT 'openai'
    CHECK (kind IN ('vllm', 'ollama', 'llama_cpp', 'openai', 'anthropic'));
