-- siyu/ingest/staged.py: a CSV (the private UTF-8 copy) read by DuckDB into an all-text staging table, and the
-- macros every profile's conversion (ingest_stage_<profile>.sql) uses to tell a plain cell from one that needs
-- the Polars profile.
CREATE TABLE raw AS
SELECT * FROM read_csv($path, header = false, auto_detect = false, columns = $cols, delim = $delim, quote = '"',
                       escape = '"', strict_mode = true, null_padding = false);

-- Text as the profiles keep it: no padding (Unicode white space), no control characters, not too long.
CREATE MACRO plain_text(v, max_chars) AS v <> '' AND length(v) <= max_chars AND NOT regexp_matches(v,
    '^[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]|[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]$|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{202A}-\x{202E}\x{2066}-\x{2069}]');
