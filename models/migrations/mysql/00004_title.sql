-- The report's title beside its content, for the reminder planner, which read it out
-- of the JSON of every unpublished report. The store writes it with the content
-- (models.TitleOf); existing reports take it from their content by the same rule: the
-- top-level string "title", '' when the content is not JSON or the title not a string.

-- +goose Up
ALTER TABLE reports ADD COLUMN title LONGTEXT NOT NULL DEFAULT '';
-- JSON_VALID first: in an UPDATE, strict mode turns JSON_EXTRACT's warning on content
-- that is not JSON into an error, and CASE stops at the first WHEN that holds.
-- JSON_UNQUOTE(JSON_EXTRACT()) rather than JSON_VALUE, which TiDB does not have.
UPDATE reports SET title = CASE WHEN NOT JSON_VALID(content) THEN ''
    WHEN JSON_TYPE(JSON_EXTRACT(content, '$.title')) = 'STRING' THEN JSON_UNQUOTE(JSON_EXTRACT(content, '$.title'))
    ELSE '' END;

-- +goose Down
ALTER TABLE reports DROP COLUMN title;
