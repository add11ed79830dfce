"""Versioned schema migrations for the work store.

Each migration is (version, description, SQL). A store made by an older osint is migrated
forward in one transaction per step; a store made by a newer osint is refused.
"""

from __future__ import annotations

WORK_MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "crawl runs, documents, entries, records, relations, resolution, judgements",
        """
        CREATE TABLE crawl_runs (
            run_id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            started_at TIMESTAMP NOT NULL,
            ended_at TIMESTAMP,
            status VARCHAR NOT NULL,          -- running | ok | failed
            requests INTEGER DEFAULT 0,
            responses INTEGER DEFAULT 0,
            status_counts JSON,
            documents INTEGER DEFAULT 0,
            entries INTEGER DEFAULT 0,
            dropped INTEGER DEFAULT 0,
            errors INTEGER DEFAULT 0,
            bytes BIGINT DEFAULT 0,
            message VARCHAR
        );
        CREATE TABLE run_issues (
            run_id VARCHAR NOT NULL,
            logged_at TIMESTAMP NOT NULL,
            level VARCHAR NOT NULL,           -- warning | error
            source VARCHAR,
            url VARCHAR,
            message VARCHAR NOT NULL
        );
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            url VARCHAR NOT NULL,
            final_url VARCHAR,
            http_status INTEGER,
            content_type VARCHAR,
            content_sha256 VARCHAR NOT NULL,
            size BIGINT NOT NULL,
            body BLOB NOT NULL,               -- zlib-compressed raw body
            meta JSON,                        -- what the spider read off it (title, date, ...)
            fetched_at TIMESTAMP NOT NULL,
            first_seen TIMESTAMP NOT NULL,
            last_seen TIMESTAMP NOT NULL,
            run_id VARCHAR NOT NULL
        );
        CREATE TABLE entries (
            entry_id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            source_key VARCHAR NOT NULL,
            doc_id VARCHAR NOT NULL,
            format VARCHAR NOT NULL,
            data JSON NOT NULL,
            content_sha256 VARCHAR NOT NULL,
            first_seen TIMESTAMP NOT NULL,
            last_seen TIMESTAMP NOT NULL,
            listed BOOLEAN NOT NULL DEFAULT TRUE,
            run_id VARCHAR NOT NULL,
            extracted_input VARCHAR           -- extractor version + content it was extracted at
        );
        CREATE TABLE records (
            record_id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            source_key VARCHAR NOT NULL,
            entry_key VARCHAR NOT NULL,       -- the entry it came from (one entry, many records)
            doc_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            aliases VARCHAR[],
            names_norm VARCHAR[],             -- name and aliases normalized for matching
            countries VARCHAR[],
            nationality VARCHAR[],
            address VARCHAR,
            city VARCHAR,
            dob VARCHAR,
            dobs VARCHAR[],                   -- every date of birth the source gives
            phones VARCHAR[],
            emails VARCHAR[],
            domains VARCHAR[],
            wallets VARCHAR[],
            identifiers VARCHAR[],
            chemicals VARCHAR[],
            hs_codes VARCHAR[],
            programs VARCHAR[],
            origin VARCHAR NOT NULL,
            confidence DOUBLE NOT NULL,
            first_seen TIMESTAMP,
            last_seen TIMESTAMP,
            listed BOOLEAN NOT NULL DEFAULT TRUE,
            input_sha256 VARCHAR NOT NULL,    -- what it was extracted from, for incremental runs
            extracted_at TIMESTAMP NOT NULL
        );
        CREATE TABLE relations (
            record_id VARCHAR NOT NULL,
            relation VARCHAR NOT NULL,
            target_name VARCHAR NOT NULL,
            target_name_norm VARCHAR,
            target_record_id VARCHAR,
            source VARCHAR NOT NULL
        );
        CREATE TABLE judgements (
            judgement_id VARCHAR PRIMARY KEY,
            record_a VARCHAR NOT NULL,
            record_b VARCHAR NOT NULL,
            judgement VARCHAR NOT NULL,       -- positive | negative | unsure
            author VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            note VARCHAR,
            deleted_at TIMESTAMP
        );
        CREATE TABLE resolve_runs (
            run_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP NOT NULL,
            ended_at TIMESTAMP,
            model_name VARCHAR,
            model_version VARCHAR,
            records INTEGER,
            pairs INTEGER,
            profiles INTEGER,
            status VARCHAR NOT NULL
        );
        CREATE TABLE profile_members (
            record_id VARCHAR PRIMARY KEY,
            profile_id VARCHAR NOT NULL,
            match_probability DOUBLE
        );
        CREATE TABLE match_pairs (
            record_a VARCHAR NOT NULL,
            record_b VARCHAR NOT NULL,
            match_probability DOUBLE NOT NULL,
            match_weight DOUBLE NOT NULL,
            reasons JSON
        );
        CREATE TABLE referents (
            referent_id VARCHAR PRIMARY KEY,
            profile_id VARCHAR NOT NULL,
            retired_at TIMESTAMP NOT NULL
        );
        CREATE TABLE publications (
            data_version INTEGER PRIMARY KEY,
            published_at TIMESTAMP NOT NULL,
            path VARCHAR NOT NULL,
            profiles INTEGER NOT NULL,
            records INTEGER NOT NULL
        );
        """,
    ),
    (
        2,
        "text extraction: per-document extraction state, evidence on records",
        """
        ALTER TABLE documents ADD COLUMN extracted_input VARCHAR;  -- pipeline version + content
        ALTER TABLE records ADD COLUMN evidence JSON;              -- spans the values came from
        """,
    ),
    (
        3,
        "resolution: rule links, shared-value stop list, judgement conflicts, imports",
        """
        CREATE TABLE rule_links (          -- merges made by a hard rule, not by the model
            record_a VARCHAR NOT NULL,
            record_b VARCHAR NOT NULL,
            rule VARCHAR NOT NULL,            -- strong_identifier
            evidence VARCHAR NOT NULL         -- the identifier both records carry
        );
        CREATE TABLE shared_values (       -- values too widely shared to count as evidence
            value VARCHAR PRIMARY KEY,
            names INTEGER NOT NULL,           -- distinct record names carrying it
            records INTEGER NOT NULL
        );
        CREATE TABLE resolve_conflicts (   -- a record scoring high against two profiles an
            record_id VARCHAR NOT NULL,       -- analyst called different
            profile_a VARCHAR NOT NULL,
            profile_b VARCHAR NOT NULL,
            probability_a DOUBLE NOT NULL,
            probability_b DOUBLE NOT NULL,
            judgement_id VARCHAR NOT NULL
        );
        CREATE TABLE imports (
            import_id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            imported_at TIMESTAMP NOT NULL,
            rows_read INTEGER NOT NULL,
            rows_kept INTEGER NOT NULL,
            rows_bad INTEGER NOT NULL
        );
        """,
    ),
    (
        4,
        "publication changes: what each publish added, changed and removed",
        """
        CREATE TABLE published_state (     -- each published profile's content, as last published
            profile_id VARCHAR PRIMARY KEY,
            content_sha VARCHAR NOT NULL,
            data_version INTEGER NOT NULL     -- the publication that last changed it
        );
        CREATE TABLE profile_changes (
            data_version INTEGER NOT NULL,
            profile_id VARCHAR NOT NULL,
            change VARCHAR NOT NULL,          -- added | changed | removed
            merged_into VARCHAR,              -- for a removed id that lives on as a referent
            name VARCHAR
        );
        """,
    ),
    (
        5,
        "profile members without a primary key index: resolve rewrites the table whole",
        # Keeping an index over a million record ids up to date made resolve's write and
        # commit take ten seconds on a rebuild; one row per record holds by construction.
        """
        CREATE TABLE profile_members_v5 (
            record_id VARCHAR NOT NULL,
            profile_id VARCHAR NOT NULL,
            match_probability DOUBLE
        );
        INSERT INTO profile_members_v5 SELECT record_id, profile_id, match_probability
            FROM profile_members;
        DROP TABLE profile_members;
        ALTER TABLE profile_members_v5 RENAME TO profile_members;
        """,
    ),
    (
        6,
        "match pairs keep the level each comparison reached; the levels' words and weights apart",
        # Building a JSON document of reasons for each of 350k kept pairs took most of a
        # second of every resolve at a million records; review reads a few dozen of them.
        """
        ALTER TABLE match_pairs ADD COLUMN levels TINYINT[];  -- gamma per comparison, in order
        CREATE TABLE match_levels (        -- the levels of the model that scored match_pairs
            comparison VARCHAR NOT NULL,
            position INTEGER NOT NULL,        -- the comparison's place in match_pairs.levels
            gamma INTEGER NOT NULL,           -- Splink's comparison vector value (-1: no value)
            label VARCHAR NOT NULL,
            weight DOUBLE NOT NULL            -- match weight, bits
        );
        """,
    ),
]

LATEST_WORK_VERSION = WORK_MIGRATIONS[-1][0]
