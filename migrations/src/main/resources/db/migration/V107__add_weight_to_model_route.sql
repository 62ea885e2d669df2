-- A route's share of its model's requests when the model is routed by weight: a backend of weight 3 beside one of
-- weight 1 gets three requests in four. Other strategies ignore it.
ALTER TABLE model_route ADD COLUMN weight INT NOT NULL DEFAULT 1 CHECK (weight > 0);
