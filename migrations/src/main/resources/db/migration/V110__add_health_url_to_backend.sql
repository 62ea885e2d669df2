-- Where the gateway checks a backend's health (vLLM's and the simulator's /health, Ollama's root): polled
-- periodically, a backend that fails it in a row is passed over until it answers 2xx again. NULL: not checked.
ALTER TABLE backend ADD COLUMN health_url TEXT CHECK (health_url ~ '^https?://');
