/**
 * Versioned schema migrations. Each entry runs once, inside a transaction, and bumps
 * `PRAGMA user_version`; never edit a released entry, append a new one.
 *
 * The whole library model is laid down now so later features fill tables rather than
 * reshape them: groups, persons, the person↔group membership that carries the per-group
 * custom description values, faces with the embedding and the model that produced it,
 * and each face's aligned crop.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE api_keys (
    secret_id   TEXT PRIMARY KEY,
    secret_key  TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    is_root     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  );

  -- dialect: which API created the object, so its rules (id charset, face limits) follow it.
  CREATE TABLE groups (
    id               INTEGER PRIMARY KEY,
    group_id         TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL UNIQUE,
    tag              TEXT NOT NULL DEFAULT '',
    model_version    TEXT NOT NULL,
    dialect          TEXT NOT NULL,
    ex_descriptions  TEXT NOT NULL DEFAULT '[]',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
  );

  CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    person_id   TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    gender      INTEGER NOT NULL DEFAULT 0,
    dialect     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );

  -- ex_values: JSON array of this person's custom description values in this group,
  -- by the group's description field index.
  CREATE TABLE person_groups (
    grp        INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    person     INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    ex_values  TEXT NOT NULL DEFAULT '[]',
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (grp, person)
  ) WITHOUT ROWID;
  CREATE INDEX person_groups_by_person ON person_groups(person, grp);

  -- embedding: little-endian float32, L2-normalised; model names the network that made it
  -- so embeddings can be recomputed from the crop when the model changes.
  CREATE TABLE faces (
    id          INTEGER PRIMARY KEY,
    person      INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    embedding   BLOB NOT NULL,
    box         TEXT NOT NULL,
    quality     REAL,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX faces_by_person ON faces(person);

  CREATE TABLE face_crops (
    face   INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
    mime   TEXT NOT NULL,
    bytes  BLOB NOT NULL
  );
  `,
  // The Alibaba sface API keeps a free-text note on a person, and GetFaces answers each face
  // with the URL it was fetched from (null for uploaded bytes and faces from before this).
  `
  ALTER TABLE persons ADD COLUMN note TEXT NOT NULL DEFAULT '';
  ALTER TABLE faces ADD COLUMN url TEXT;
  `,
  // The search index is saved to a file at shutdown (src/store/index-snapshot.ts) so a large
  // library restarts without re-reading every embedding. face_changes logs, in the same
  // transaction as the change, every face added or removed (cascades included), so a start
  // after a crash loads the last snapshot and replays only what changed since; index_snapshot
  // names the one snapshot file the log is kept for.
  `
  CREATE TABLE face_changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    face    INTEGER NOT NULL,
    person  INTEGER NOT NULL
  );
  CREATE TRIGGER face_added AFTER INSERT ON faces
    BEGIN INSERT INTO face_changes (face, person) VALUES (new.id, new.person); END;
  CREATE TRIGGER face_removed AFTER DELETE ON faces
    BEGIN INSERT INTO face_changes (face, person) VALUES (old.id, old.person); END;
  CREATE TRIGGER face_changed AFTER UPDATE OF id, person, embedding ON faces
    BEGIN INSERT INTO face_changes (face, person) VALUES (old.id, old.person), (new.id, new.person); END;

  CREATE TABLE index_snapshot (
    only   INTEGER PRIMARY KEY CHECK (only = 1),
    token  TEXT NOT NULL,
    seq    INTEGER NOT NULL
  );
  `,
  // IAI's group model-upgrade jobs. grp loses its group when the group is deleted (the job
  // stays listed, but can no longer be rolled back); group_id keeps the public id it had.
  `
  CREATE TABLE upgrade_jobs (
    id              INTEGER PRIMARY KEY,
    job_id          TEXT NOT NULL UNIQUE,
    grp             INTEGER REFERENCES groups(id) ON DELETE SET NULL,
    group_id        TEXT NOT NULL,
    from_version    TEXT NOT NULL,
    to_version      TEXT NOT NULL,
    status          TEXT NOT NULL,
    started_at      INTEGER NOT NULL,
    rolled_back_at  INTEGER
  );
  CREATE INDEX upgrade_jobs_by_group ON upgrade_jobs(grp);
  `,
  // Signatures accepted while they could still be replayed (src/auth/replay-guard.ts): Alibaba
  // nonces, and the action each Tencent TC3 signature was used for. Kept here, not in memory,
  // so a restart forgets none of them.
  `
  CREATE TABLE used_signatures (
    token       BLOB PRIMARY KEY,
    binding     TEXT NOT NULL,
    used_at     INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX used_signatures_by_expiry ON used_signatures(expires_at);
  `,
  // A face id is never given twice, as the clouds never give one twice: SQLite would hand the
  // largest id out again once its face is deleted, and an app holding the old id would then
  // name another person's face. face_id_seq only grows; it starts past every id the library
  // has had (face_changes logs deleted ones too).
  `
  CREATE TABLE face_id_seq (
    only  INTEGER PRIMARY KEY CHECK (only = 1),
    next  INTEGER NOT NULL
  );
  INSERT INTO face_id_seq (only, next)
    SELECT 1, max(coalesce((SELECT max(id) FROM faces), 0), coalesce((SELECT max(face) FROM face_changes), 0)) + 1;
  CREATE TRIGGER face_id_taken AFTER INSERT ON faces
    BEGIN UPDATE face_id_seq SET next = max(next, new.id + 1); END;
  `,
];
