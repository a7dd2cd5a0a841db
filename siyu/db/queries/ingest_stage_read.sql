-- siyu/ingest/staged.py: what every staged conversion shares. First the file as DuckDB reads it (the
-- UTF-8 file or its private copy, every cell text, the header as the first record); the code puts it where a
-- conversion says {raw}. No row number here: row_number() OVER () ran the whole conversion on one thread; the
-- temporary table the conversion fills keeps file order (preserve_insertion_order), so its rowid is the row
-- number (0 = the header). Then the macros the conversions use.
SELECT *
FROM read_csv($path, header = false, auto_detect = false, columns = $cols, delim = $delim, quote = '"',
              escape = '"', strict_mode = true, null_padding = false);

CREATE OR REPLACE TEMP MACRO plain_text(v, max_chars) AS v <> '' AND length(v) <= max_chars AND NOT regexp_matches(v,
    '^[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]|[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]$|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{202A}-\x{202E}\x{2066}-\x{2069}]');
