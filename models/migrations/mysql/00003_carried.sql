-- Start from last year: the values a new draft carried over from the previous year's
-- published report, and the reasons given where the drafter changed one (JSON, or '').

-- +goose Up
ALTER TABLE reports ADD COLUMN carried LONGTEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE reports DROP COLUMN carried;
