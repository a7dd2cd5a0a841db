-- siyu schema version 9: tag groups and saved segments (issue #17).

-- member_tags gains the tag group (标签组): a WeCom customer export has one column per tag group, headed by
-- its name, and "7岁" means something only under "孩子年龄". Tags stored before version 9 and tags of a
-- shop export's single 标签 column have no group (''). The key becomes (member, group, tag): the same tag
-- text may sit in two groups.
CREATE TABLE member_tags_v9 (
    member_id    BIGINT NOT NULL,
    tag_group    VARCHAR NOT NULL DEFAULT '',
    tag          VARCHAR NOT NULL,
    batch_id     BIGINT NOT NULL,
    PRIMARY KEY (member_id, tag_group, tag)
);
INSERT INTO member_tags_v9 (member_id, tag_group, tag, batch_id)
SELECT member_id, '', tag, batch_id FROM member_tags;
DROP TABLE member_tags;
ALTER TABLE member_tags_v9 RENAME TO member_tags;

-- Saved segments (已存分群): a named member population — global filters, a tag, an RFM segment — that every
-- page and metric can take as its population (?segment=NAME, --param segment=NAME). `definition` is a JSON
-- object of plain strings (siyu/segments.py reads and checks it); the population is recomputed from the
-- data each time, so a segment follows new imports.
CREATE TABLE saved_segments (
    name         VARCHAR PRIMARY KEY,
    definition   VARCHAR NOT NULL,
    created_by   VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
