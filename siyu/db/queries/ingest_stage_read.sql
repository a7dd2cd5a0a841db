-- siyu/ingest/staged.py: what every staged conversion shares. First the file as DuckDB reads it (the
-- private UTF-8 copy, every cell text, a rowid counting records from 0 = the header in file order:
-- row_number() over the reader's output, which preserve_insertion_order keeps in file order, streamed);
-- the code puts it where a conversion says {raw}. Then the macros the conversions use.
SELECT row_number() OVER () - 1 AS rowid, *
FROM read_csv($path, header = false, auto_detect = false, columns = $cols, delim = $delim, quote = '"',
              escape = '"', strict_mode = true, null_padding = false);

CREATE OR REPLACE TEMP MACRO plain_text(v, max_chars) AS v <> '' AND length(v) <= max_chars AND NOT regexp_matches(v,
    '^[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]|[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]$|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{202A}-\x{202E}\x{2066}-\x{2069}]');
