-- The report's title beside its content, for the reminder planner, which read it out
-- of the JSON of every unpublished report. The store writes it with the content
-- (models.TitleOf); existing reports take it from their content by the same rule: the
-- top-level string "title", '' when the content is not JSON or the title not a string.

-- +goose Up
ALTER TABLE reports ADD COLUMN title TEXT NOT NULL DEFAULT '';
UPDATE reports SET title = COALESCE(CASE WHEN json_valid(content) AND json_type(content, '$.title') = 'text'
    THEN json_extract(content, '$.title') END, '');

-- +goose Down
ALTER TABLE reports DROP COLUMN title;
