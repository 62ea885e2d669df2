-- The model name a backend knows a routed model by, when it differs from the name callers send (an alias such as
-- "local-llama" served as "llama3.2:3b" by Ollama and as "meta-llama/Llama-3.2-3B-Instruct" by vLLM). NULL sends
-- the caller's name unchanged.
ALTER TABLE model_route ADD COLUMN backend_model TEXT CHECK (backend_model <> '');
