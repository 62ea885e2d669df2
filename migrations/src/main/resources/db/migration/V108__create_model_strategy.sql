-- How a model's backends share its requests: 'priority' (the first that is available, the rest as fallbacks),
-- 'weighted' (in proportion to model_route.weight) or 'least_in_flight' (the one with the fewest requests open).
-- A model without a row here is routed by priority. Every strategy falls back to the model's other backends.
CREATE TABLE model_strategy (
    operator_id UUID NOT NULL REFERENCES operator (id),
    model_name  TEXT NOT NULL,
    strategy    TEXT NOT NULL CHECK (strategy IN ('priority', 'weighted', 'least_in_flight')),
    PRIMARY KEY (operator_id, model_name)
);
