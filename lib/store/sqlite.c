/* The SQLite store: records and events (the outbox) of a command written in
 * one transaction; the engine's state is rebuilt from the event log at open
 * and caught up with other processes at the start of every command. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"

#define L2C__APP_ID 0x4C324331 /* "L2C1" */
#define L2C__SCHEMA 1

typedef struct store {
    sqlite3 *db;
    sqlite3_stmt *ins_event, *up_record, *up_counter, *sel_after, *sel_counters, *ack, *pos;
    sqlite3_stmt *begin_imm, *commit, *rollback;
    int broken; /* a commit failed in a way that may have lost a sync */
    int in_tx;
} store;

static store *st(l2c_engine *e) { return (store *)e->store; }

/* Map a SQLite result to an error of the engine. */
static int db_err(l2c_engine *e, sqlite3 *db, int rc, const char *what)
{
    int prim = rc & 0xff;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        return l2c__err(e, L2C_ECONFLICT, NULL, "%s: the database is busy (%s); retry", what, msg);
    if (prim == SQLITE_NOMEM)
        return l2c__err(e, L2C_ENOMEM, NULL, "%s: out of memory", what);
    return l2c__err(e, L2C_EIO, NULL, "%s: %s", what, msg);
}

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS events("
    " seq INTEGER PRIMARY KEY, type TEXT NOT NULL, event TEXT NOT NULL,"
    " subject TEXT NOT NULL, cause INTEGER NOT NULL, time TEXT NOT NULL, json TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS records("
    " type TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL,"
    " seq INTEGER NOT NULL REFERENCES events(seq), PRIMARY KEY(type, id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS counters(type TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS consumers(name TEXT PRIMARY KEY, seq INTEGER NOT NULL);";

static int prepare(l2c_engine *e, store *s)
{
    static const struct {
        size_t off;
        const char *sql;
    } stmts[] = {
        {offsetof(store, ins_event),
         "INSERT INTO events(seq, type, event, subject, cause, time, json) VALUES(?,?,?,?,?,?,?)"},
        {offsetof(store, up_record),
         "INSERT INTO records(type, id, state, version, seq) VALUES(?,?,?,?,?) "
         "ON CONFLICT(type, id) DO UPDATE SET state=excluded.state, version=excluded.version, "
         "seq=excluded.seq"},
        {offsetof(store, up_counter),
         "INSERT INTO counters(type, value) VALUES(?,?) ON CONFLICT(type) DO UPDATE SET "
         "value=excluded.value"},
        {offsetof(store, sel_after), "SELECT seq, json FROM events WHERE seq > ? ORDER BY seq"},
        {offsetof(store, sel_counters), "SELECT type, value FROM counters"},
        {offsetof(store, ack),
         "INSERT INTO consumers(name, seq) VALUES(?,?) ON CONFLICT(name) DO UPDATE SET "
         "seq=excluded.seq"},
        {offsetof(store, pos), "SELECT seq FROM consumers WHERE name = ?"},
        {offsetof(store, begin_imm), "BEGIN IMMEDIATE"},
        {offsetof(store, commit), "COMMIT"},
        {offsetof(store, rollback), "ROLLBACK"},
    };
    for (size_t i = 0; i < sizeof stmts / sizeof *stmts; i++) {
        sqlite3_stmt **p = (sqlite3_stmt **)((char *)s + stmts[i].off);
        int rc = sqlite3_prepare_v3(s->db, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, p, NULL);
        if (rc != SQLITE_OK)
            return db_err(e, s->db, rc, "preparing the store");
    }
    return 0;
}

static void store_free(store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->ins_event);
    sqlite3_finalize(s->up_record);
    sqlite3_finalize(s->up_counter);
    sqlite3_finalize(s->sel_after);
    sqlite3_finalize(s->sel_counters);
    sqlite3_finalize(s->ack);
    sqlite3_finalize(s->pos);
    sqlite3_finalize(s->begin_imm);
    sqlite3_finalize(s->commit);
    sqlite3_finalize(s->rollback);
    sqlite3_close(s->db);
    l2c__xfree(s);
}

/* Apply events other processes (or an earlier run) committed, and the
 * stored id counters. */
static int catch_up(l2c_engine *e)
{
    store *s = st(e);
    sqlite3_stmt *q = s->sel_after;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, (sqlite3_int64)e->committed);
    int rc;
    uint64_t before = e->committed;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        uint64_t seq = (uint64_t)sqlite3_column_int64(q, 0);
        const char *json = (const char *)sqlite3_column_text(q, 1);
        if (seq != e->committed + 1 || !json) {
            sqlite3_reset(q);
            return l2c__err(e, L2C_EIO, NULL, "the stored event log has a gap at %llu",
                            (unsigned long long)(e->committed + 1));
        }
        int r = l2c__replay_event_json(e, seq, json);
        if (r) {
            sqlite3_reset(q);
            return r;
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return db_err(e, s->db, rc, "reading events");
    /* counters only move with the creates of committed commands */
    if (e->committed == before && before != 0)
        return 0;
    q = s->sel_counters;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int t = l2c__type_find((const char *)sqlite3_column_text(q, 0));
        if (t >= 0)
            e->counter[t] = (uint64_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : db_err(e, s->db, rc, "reading counters");
}

static int s_begin(l2c_engine *e)
{
    store *s = st(e);
    if (s->broken)
        return l2c__err(e, L2C_EIO, NULL,
                        "the store failed to write earlier; reopen the database before writing");
    int rc = sqlite3_step(s->begin_imm);
    sqlite3_reset(s->begin_imm);
    if (rc != SQLITE_DONE)
        return db_err(e, s->db, rc, "taking the write lock");
    s->in_tx = 1;
    if ((rc = catch_up(e))) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_tx = 0;
        return rc;
    }
    return 0;
}

static int step_done(l2c_engine *e, sqlite3_stmt *q, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : db_err(e, st(e)->db, rc, what);
}

static int s_commit(l2c_engine *e)
{
    store *s = st(e);
    int rc = 0;
    for (uint64_t seq = e->tx.ev_mark + 1; !rc && seq <= e->nevents; seq++) {
        const struct l2c_event *ev = l2c__event_at(e, seq);
        const l2c__rec *r = ev->rec;
        const l2c__process *p = e->proc[r->type];
        l2c__buf b = {0};
        if (l2c__write_event(&b, e, ev) || b.oom) {
            l2c__buf_free(&b);
            rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
            break;
        }
        char *json = b.p;
        char time[32];
        l2c__time_format(time, ev->time);
        sqlite3_stmt *q = s->ins_event;
        sqlite3_bind_int64(q, 1, (sqlite3_int64)seq);
        sqlite3_bind_text(q, 2, l2c__models[r->type]->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, p->events[ev->ev], -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, r->slot->id->s, (int)r->slot->id->len, SQLITE_STATIC);
        sqlite3_bind_int64(q, 5, (sqlite3_int64)ev->cause);
        sqlite3_bind_text(q, 6, time, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 7, json, -1, SQLITE_STATIC);
        rc = step_done(e, q, "writing an event");
        l2c__buf_free(&b);
        if (rc)
            break;
        q = s->up_record;
        sqlite3_bind_text(q, 1, l2c__models[r->type]->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, r->slot->id->s, (int)r->slot->id->len, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, p->states[r->state], -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 4, r->version);
        sqlite3_bind_int64(q, 5, (sqlite3_int64)seq);
        rc = step_done(e, q, "writing a record");
    }
    for (int t = 0; !rc && t < L2C__NTYPES; t++) {
        if (e->counter[t] == e->tx.counter[t])
            continue;
        sqlite3_stmt *q = s->up_counter;
        sqlite3_bind_text(q, 1, l2c__models[t]->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)e->counter[t]);
        rc = step_done(e, q, "writing an id counter");
    }
    if (!rc) {
        int r = sqlite3_step(s->commit);
        sqlite3_reset(s->commit);
        if (r != SQLITE_DONE) {
            int prim = r & 0xff;
            if (prim == SQLITE_IOERR || prim == SQLITE_FULL || prim == SQLITE_CORRUPT)
                s->broken = 1; /* the sync may have failed: never pretend */
            rc = db_err(e, s->db, r, "committing");
        }
    }
    if (rc && sqlite3_get_autocommit(s->db) == 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = 0;
    return rc;
}

static void s_rollback(l2c_engine *e)
{
    store *s = st(e);
    if (sqlite3_get_autocommit(s->db) == 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = 0;
}

static int s_refresh(l2c_engine *e)
{
    store *s = st(e);
    if (s->in_tx || e->tx.open)
        return 0;
    int rc = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_err(e, s->db, rc, "reading");
    rc = catch_up(e);
    sqlite3_exec(s->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    return rc;
}

static int s_ack(l2c_engine *e, const char *consumer, uint64_t seq)
{
    store *s = st(e);
    if (s->broken) /* a write like any other: refused until reopened */
        return l2c__err(e, L2C_EIO, NULL,
                        "the store failed to write earlier; reopen the database before writing");
    sqlite3_stmt *q = s->ack;
    sqlite3_bind_text(q, 1, consumer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)seq);
    return step_done(e, q, "recording a consumer position");
}

static int s_position(l2c_engine *e, const char *consumer, uint64_t *out)
{
    store *s = st(e);
    sqlite3_stmt *q = s->pos;
    sqlite3_bind_text(q, 1, consumer, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    *out = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_err(e, s->db, rc, "reading a position");
}

static void s_close(l2c_engine *e)
{
    store_free(st(e));
    e->store = NULL;
    e->store_ops = NULL;
}

static const l2c__store_ops sqlite_ops = {s_begin, s_commit,   s_rollback, s_refresh,
                                          s_ack,   s_position, s_close};

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(q);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Check or create the schema (PRAGMA user_version is its version). */
static int setup(l2c_engine *e, store *s, int durability)
{
    sqlite3 *db = s->db;
    int app = 0, ver = 0, rc, tables = 0;
    if ((rc = pragma_int(db, "PRAGMA application_id", &app)) ||
        (rc = pragma_int(db, "PRAGMA user_version", &ver)) ||
        (rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables)))
        return db_err(e, db, rc, "reading the database");
    if (app != L2C__APP_ID && (app != 0 || tables != 0))
        return l2c__err(e, L2C_EIO, NULL, "not an l2c database (application_id %d)", app);
    if (ver > L2C__SCHEMA)
        return l2c__err(e, L2C_EIO, NULL,
                        "the database has schema %d; this library knows up to %d", ver,
                        L2C__SCHEMA);
    char *err = NULL;
    if ((rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, &err)) != SQLITE_OK) {
        sqlite3_free(err);
        return db_err(e, db, rc, "setting WAL mode");
    }
    static const char *const sync[] = {"PRAGMA synchronous=FULL", "PRAGMA synchronous=NORMAL",
                                       "PRAGMA synchronous=OFF"};
    if ((rc = sqlite3_exec(db, sync[durability], NULL, NULL, NULL)) != SQLITE_OK)
        return db_err(e, db, rc, "setting durability");
    if (ver == L2C__SCHEMA)
        return 0;
    /* schema 0 -> 1: create everything; later versions add steps here */
    char sql[1024];
    snprintf(sql, sizeof sql, "BEGIN IMMEDIATE;%sPRAGMA application_id=%d;PRAGMA user_version=%d;COMMIT",
             schema_sql, L2C__APP_ID, L2C__SCHEMA);
    if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK) {
        int r = db_err(e, db, rc, "creating the schema");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return r;
    }
    return 0;
}

int l2c_engine_open(l2c_engine **out, const char *path, const l2c_engine_options *opts)
{
    if (!out)
        return L2C_EINVAL;
    *out = NULL;
    if (!path || !*path)
        return l2c_engine_new(out, opts);
    int durability = opts ? opts->durability : L2C_DURABILITY_FULL;
    int busy = opts ? opts->busy_timeout_ms : 5000;
    if (durability < 0 || durability > L2C_DURABILITY_OFF || busy < 0)
        return l2c__open_failed(NULL, L2C_EINVAL);
    l2c_engine *e;
    int rc = l2c_engine_new(&e, opts);
    if (rc)
        return rc;
    store *s = l2c__calloc(1, sizeof *s);
    if (!s) {
        l2c_engine_free(e);
        return l2c__open_failed(NULL, L2C_ENOMEM);
    }
    int r = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (r != SQLITE_OK) {
        rc = db_err(e, s->db, r, "opening the database");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, busy);
    if ((rc = setup(e, s, durability)) || (rc = prepare(e, s)))
        goto fail;
    e->store = s;
    e->store_ops = &sqlite_ops;
    if ((r = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
        rc = db_err(e, s->db, r, "reading the database");
        goto fail_attached;
    }
    rc = catch_up(e);
    sqlite3_exec(s->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    if (rc)
        goto fail_attached;
    *out = e;
    return 0;
fail:
    l2c__open_failed(e, rc);
    store_free(s);
    l2c_engine_free(e);
    return rc;
fail_attached:
    l2c__open_failed(e, rc);
    l2c_engine_free(e); /* closes the store too */
    return rc;
}
