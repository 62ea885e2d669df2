-- What a self-hosted model's cost prices were derived from: the cost of the node that serves it per hour and its
-- measured throughput in input (prompt) and output tokens per second. The derived prices are cost_price rows with
-- source 'self_hosted' that name this row, so every cost can be traced to the node figures behind it.
CREATE TABLE self_hosted_cost_basis (
    id                       UUID        PRIMARY KEY,
    operator_id              UUID        NOT NULL REFERENCES operator (id),
    model_id                 UUID        NOT NULL REFERENCES model (id),
    node                     TEXT        NOT NULL,
    cost_per_hour            NUMERIC     NOT NULL CHECK (cost_per_hour >= 0),
    currency                 CHAR(3)     NOT NULL,
    input_tokens_per_second  NUMERIC     NOT NULL CHECK (input_tokens_per_second > 0),
    output_tokens_per_second NUMERIC     NOT NULL CHECK (output_tokens_per_second > 0),
    effective_from           TIMESTAMPTZ NOT NULL,
    created_by               TEXT        NOT NULL,
    created_at               TIMESTAMPTZ NOT NULL
);

ALTER TABLE cost_price ADD COLUMN basis_id UUID REFERENCES self_hosted_cost_basis (id);
ALTER TABLE cost_price DROP CONSTRAINT cost_price_source_check;
ALTER TABLE cost_price ADD CONSTRAINT cost_price_source_check
    CHECK (source IN ('manual', 'litellm', 'self_hosted') AND ((source = 'self_hosted') = (basis_id IS NOT NULL)));
