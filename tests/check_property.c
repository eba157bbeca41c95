/* Property test: random command sequences against a reference model.
 *
 * A seeded PRNG (xorshift64*) drives a stream of commands over a small world
 * (accounts, leads, opportunities, quotes, orders, invoices, payments, credit
 * notes), choosing among every op and event of DESIGN §2 with plausible and
 * implausible data. A reference model written here, independently of lib/,
 * predicts each answer (ok, or the code and rule), the events with their
 * order, states and versions, and the derived amounts. After every command:
 *   - the library's answer agrees with the model (code and rule);
 *   - the events are the predicted ones (type, subject, from, to, version);
 *   - a failed command left the event count unchanged (and, now and then,
 *     every record exactly as it was);
 *   - invoiced <= ordered on every order line, allocations <= amount on every
 *     payment, balance = total - paid - credited - written_off >= 0 on every
 *     invoice (0 when void or written off), and all of them equal the model.
 * Every 50 commands all records are compared with the model; at the end of
 * every episode (a fresh engine every 1000 commands) the event log is
 * replayed: sequences are gapless 1..N and the record of each id's last
 * event equals `get` in every field that is not derived.
 *
 * Environment:
 *   L2C_SEED=n         the seed (printed at start; default 20261123)
 *   L2C_LONG=1         200,000 commands instead of 10,000
 *   L2C_PROPERTY_N=n   the number of commands; wins over L2C_LONG
 *                      (tests/run_all.sh sets 2000 under valgrind)
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

/* ------------------------------------------------------------------ */
/* PRNG                                                                */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 2685821657736338717ull;
}

/* 0 .. n-1 */
static int rn(int n) { return n <= 1 ? 0 : (int)(rnd() % (uint64_t)n); }
/* true with probability pct % */
static int chance(int pct) { return rn(100) < pct; }

/* ------------------------------------------------------------------ */
/* The world of the model                                              */

enum { T_ACC, T_LEAD, T_OPP, T_QUOTE, T_ORDER, T_INV, T_PAY, T_CN, NT };
static const char *const tname[NT] = {"account", "lead",  "opportunity", "quote",
                                      "order",   "invoice", "payment",   "credit_note"};
static const char *const tprefix[NT] = {"ACC", "L", "OPP", "Q", "SO", "INV", "PAY", "CN"};

enum { A_ACTIVE, A_ON_HOLD, A_CLOSED };
enum { L_NEW, L_WORKING, L_QUALIFIED, L_CONVERTED, L_DISQUALIFIED };
enum { O_PROSPECTING, O_QUALIFICATION, O_PROPOSAL, O_NEGOTIATION, O_WON, O_LOST };
enum { Q_DRAFT, Q_PENDING, Q_APPROVED, Q_SENT, Q_ACCEPTED, Q_DECLINED, Q_EXPIRED, Q_SUPERSEDED,
       Q_CANCELLED };
enum { S_DRAFT, S_CONFIRMED, S_ON_HOLD, S_COMPLETED, S_CLOSED, S_CANCELLED };
enum { I_DRAFT, I_ISSUED, I_OVERDUE, I_DISPUTED, I_PAID, I_VOID, I_WRITTEN_OFF };
enum { P_RECEIVED, P_REVERSED, P_REFUNDED };
enum { C_DRAFT, C_ISSUED, C_VOID };

static const char *const st_acc[] = {"active", "on_hold", "closed"};
static const char *const st_lead[] = {"new", "working", "qualified", "converted", "disqualified"};
static const char *const st_opp[] = {"prospecting", "qualification", "proposal",
                                     "negotiation", "won",           "lost"};
static const char *const st_quote[] = {"draft",    "pending_approval", "approved",
                                       "sent",     "accepted",         "declined",
                                       "expired",  "superseded",       "cancelled"};
static const char *const st_order[] = {"draft",     "confirmed", "on_hold",
                                       "completed", "closed",    "cancelled"};
static const char *const st_inv[] = {"draft", "issued", "overdue",    "disputed",
                                     "paid",  "void",   "written_off"};
static const char *const st_pay[] = {"received", "reversed", "refunded"};
static const char *const st_cn[] = {"draft", "issued", "void"};
static const char *const *const snames[NT] = {st_acc,   st_lead, st_opp, st_quote,
                                              st_order, st_inv,  st_pay, st_cn};
static const int nstates[NT] = {3, 5, 6, 9, 6, 7, 3, 3};

#define B(s) (1u << (s))
enum { R_FIN = 1, R_SM = 2 };

typedef struct evdef {
    const char *name;
    unsigned from; /* bit set of states */
    int role;      /* R_FIN, R_SM or 0 */
    int cascade;   /* cascade only */
} evdef;

static const evdef ev_acc[] = {
    {"hold", B(A_ACTIVE), R_FIN, 0},
    {"release", B(A_ON_HOLD), R_FIN, 0},
    {"close", B(A_ACTIVE) | B(A_ON_HOLD), 0, 0},
};
static const evdef ev_lead[] = {
    {"contact", B(L_NEW), 0, 0},
    {"qualify", B(L_NEW) | B(L_WORKING), 0, 0},
    {"disqualify", B(L_NEW) | B(L_WORKING) | B(L_QUALIFIED), 0, 0},
    {"reopen", B(L_DISQUALIFIED), 0, 0},
    {"convert", B(L_QUALIFIED), 0, 0},
};
#define OPP_OPEN (B(O_PROSPECTING) | B(O_QUALIFICATION) | B(O_PROPOSAL) | B(O_NEGOTIATION))
static const evdef ev_opp[] = {
    {"qualify", B(O_PROSPECTING), 0, 0}, {"propose", B(O_QUALIFICATION), 0, 0},
    {"negotiate", B(O_PROPOSAL), 0, 0},  {"win", OPP_OPEN, 0, 0},
    {"lose", OPP_OPEN, 0, 0},            {"reopen", B(O_LOST), 0, 0},
};
#define QUOTE_OPEN (B(Q_DRAFT) | B(Q_PENDING) | B(Q_APPROVED) | B(Q_SENT))
static const evdef ev_quote[] = {
    {"submit", B(Q_DRAFT), 0, 0},
    {"approve", B(Q_PENDING), R_SM, 0},
    {"reject", B(Q_PENDING), R_SM, 0},
    {"send", B(Q_DRAFT) | B(Q_APPROVED), 0, 0},
    {"accept", B(Q_SENT), 0, 0},
    {"decline", B(Q_SENT), 0, 0},
    {"expire", B(Q_SENT), 0, 0},
    {"revise", B(Q_SENT) | B(Q_DECLINED) | B(Q_EXPIRED), 0, 0},
    {"cancel", QUOTE_OPEN, 0, 0},
};
static const evdef ev_order[] = {
    {"confirm", B(S_DRAFT), 0, 0},
    {"hold", B(S_CONFIRMED), 0, 0},
    {"release", B(S_ON_HOLD), 0, 0},
    {"fulfill", B(S_CONFIRMED), 0, 0},
    {"complete", B(S_CONFIRMED), 0, 1},
    {"close", B(S_CONFIRMED), 0, 0},
    {"cancel", B(S_DRAFT) | B(S_CONFIRMED) | B(S_ON_HOLD), 0, 0},
};
#define INV_OPEN (B(I_ISSUED) | B(I_OVERDUE) | B(I_DISPUTED))
static const evdef ev_inv[] = {
    {"issue", B(I_DRAFT), 0, 0},
    {"mark_overdue", B(I_ISSUED), 0, 0},
    {"dispute", B(I_ISSUED) | B(I_OVERDUE), 0, 0},
    {"resolve", B(I_DISPUTED), 0, 0},
    {"settle", INV_OPEN, 0, 1},
    {"reopen", B(I_PAID), 0, 1},
    {"void", B(I_DRAFT) | INV_OPEN, R_FIN, 0},
    {"write_off", INV_OPEN, R_FIN, 0},
};
static const evdef ev_pay[] = {
    {"allocate", B(P_RECEIVED), 0, 0},
    {"reverse", B(P_RECEIVED), R_FIN, 0},
    {"refund", B(P_RECEIVED), R_FIN, 0},
};
static const evdef ev_cn[] = {
    {"issue", B(C_DRAFT), 0, 0},
    {"void", B(C_DRAFT), 0, 0},
};
static const evdef *const evdefs[NT] = {ev_acc,   ev_lead, ev_opp, ev_quote,
                                        ev_order, ev_inv,  ev_pay, ev_cn};
static const int nevdefs[NT] = {3, 5, 6, 9, 7, 8, 3, 2};

/* event indexes used by name in the model */
enum { EA_HOLD, EA_RELEASE, EA_CLOSE };
enum { EL_CONTACT, EL_QUALIFY, EL_DISQUALIFY, EL_REOPEN, EL_CONVERT };
enum { EO_QUALIFY, EO_PROPOSE, EO_NEGOTIATE, EO_WIN, EO_LOSE, EO_REOPEN };
enum { EQ_SUBMIT, EQ_APPROVE, EQ_REJECT, EQ_SEND, EQ_ACCEPT, EQ_DECLINE, EQ_EXPIRE, EQ_REVISE,
       EQ_CANCEL };
enum { ES_CONFIRM, ES_HOLD, ES_RELEASE, ES_FULFILL, ES_COMPLETE, ES_CLOSE, ES_CANCEL };
enum { EI_ISSUE, EI_OVERDUE, EI_DISPUTE, EI_RESOLVE, EI_SETTLE, EI_REOPEN, EI_VOID, EI_WRITE_OFF };
enum { EP_ALLOCATE, EP_REVERSE, EP_REFUND };
enum { EC_ISSUE, EC_VOID };

#define MAXN 200   /* records of one type in one episode */
#define MAXL 4     /* lines of a quote or order */
#define MAXIL 4    /* lines of an invoice or credit note */
#define MAXA 24    /* allocations of a payment */
#define NODATE INT32_MIN
#define APPROVAL 2000 /* the default approval threshold, 20%, in hundredths */

typedef struct mline {
    int64_t qty;   /* thousandths */
    int64_t price; /* minor units */
    int32_t disc;  /* hundredths of a percent */
    int32_t tax;
} mline;

typedef struct model {
    int32_t today;
    int n[NT];
    int st[NT][MAXN];
    int ver[NT][MAXN];
    struct { int cur; int64_t limit; int terms; } acc[MAXN]; /* limit -1: none */
    struct { int company; } lead[MAXN];
    struct { int acc; } opp[MAXN];
    struct { int opp, nl, rev, sup; mline l[MAXL]; int32_t vu; } quote[MAXN];
    struct { int acc, quote, nl; mline l[MAXL]; int64_t ful[MAXL]; } order[MAXN];
    struct { int order, nl; int ol[MAXIL]; int64_t q[MAXIL]; int32_t due; } inv[MAXN];
    struct { int acc, cur, na; int64_t amount; int ai[MAXA]; int64_t aa[MAXA]; } pay[MAXN];
    struct { int inv, nl; int il[MAXIL]; int64_t q[MAXIL]; int64_t applied, excess; } cn[MAXN];
} model;

enum { CUR_EUR, CUR_JPY, CUR_USD };
static const char *const curname[] = {"EUR", "JPY", "USD"};
static const int curexp[] = {2, 0, 2};

/* ------------------------------------------------------------------ */
/* Arithmetic (DESIGN §3), written again from the contract             */

__extension__ typedef __int128 i128;

static int64_t div_round(i128 a, i128 b) /* b > 0, half away from zero */
{
    i128 q = a / b, r = a % b;
    if (r < 0)
        r = -r;
    if (2 * r >= b)
        q += a < 0 ? -1 : 1;
    return (int64_t)q;
}

static void line_amounts(const mline *l, int64_t qty, int64_t *net, int64_t *tax)
{
    *net = div_round((i128)qty * l->price * (10000 - l->disc), (i128)10000000);
    *tax = div_round((i128)*net * l->tax, 10000);
}

static int64_t line_total(const mline *l, int64_t qty)
{
    int64_t n, t;
    line_amounts(l, qty, &n, &t);
    return n + t;
}

static int64_t lines_total(const mline *l, int nl)
{
    int64_t s = 0;
    for (int i = 0; i < nl; i++)
        s += line_total(&l[i], l[i].qty);
    return s;
}

/* the order line an invoice line bills */
static const mline *inv_mline(const model *m, int i, int k)
{
    return &m->order[m->inv[i].order].l[m->inv[i].ol[k]];
}

static int64_t inv_total(const model *m, int i)
{
    int64_t s = 0;
    for (int k = 0; k < m->inv[i].nl; k++)
        s += line_total(inv_mline(m, i, k), m->inv[i].q[k]);
    return s;
}

static int64_t cn_total(const model *m, int c)
{
    int i = m->cn[c].inv;
    int64_t s = 0;
    for (int k = 0; k < m->cn[c].nl; k++)
        s += line_total(inv_mline(m, i, m->cn[c].il[k]), m->cn[c].q[k]);
    return s;
}

static int inv_acc(const model *m, int i) { return m->order[m->inv[i].order].acc; }
static int quote_acc(const model *m, int q) { return m->opp[m->quote[q].opp].acc; }

/* paid, credited, written_off, balance */
static void inv_amounts(const model *m, int i, int64_t out[4])
{
    int64_t paid = 0, cred = 0;
    for (int p = 0; p < m->n[T_PAY]; p++)
        for (int a = 0; a < m->pay[p].na; a++)
            if (m->pay[p].ai[a] == i)
                paid += m->pay[p].aa[a];
    for (int c = 0; c < m->n[T_CN]; c++)
        if (m->cn[c].inv == i && m->st[T_CN][c] == C_ISSUED)
            cred += m->cn[c].applied;
    int64_t bal = inv_total(m, i) - paid - cred, wo = 0;
    if (m->st[T_INV][i] == I_WRITTEN_OFF) {
        wo = bal > 0 ? bal : 0;
        bal = 0;
    } else if (m->st[T_INV][i] == I_VOID) {
        bal = 0;
    }
    out[0] = paid;
    out[1] = cred;
    out[2] = wo;
    out[3] = bal;
}

static int64_t inv_balance(const model *m, int i)
{
    int64_t a[4];
    inv_amounts(m, i, a);
    return a[3];
}

static int inv_open(int st) { return st == I_ISSUED || st == I_OVERDUE || st == I_DISPUTED; }

/* quantity of order line k on invoices not void (drafts too unless issued_only) */
static int64_t invoiced(const model *m, int o, int k, int except, int issued_only)
{
    int64_t s = 0;
    for (int i = 0; i < m->n[T_INV]; i++) {
        int st = m->st[T_INV][i];
        if (m->inv[i].order != o || i == except || st == I_VOID || (issued_only && st == I_DRAFT))
            continue;
        for (int j = 0; j < m->inv[i].nl; j++)
            if (m->inv[i].ol[j] == k)
                s += m->inv[i].q[j];
    }
    return s;
}

static int64_t acc_open_balance(const model *m, int a)
{
    int64_t s = 0;
    for (int i = 0; i < m->n[T_INV]; i++)
        if (inv_acc(m, i) == a && inv_open(m->st[T_INV][i]))
            s += inv_balance(m, i);
    return s;
}

static int64_t acc_credit_balance(const model *m, int a)
{
    int64_t s = 0;
    for (int c = 0; c < m->n[T_CN]; c++)
        if (m->st[T_CN][c] == C_ISSUED && inv_acc(m, m->cn[c].inv) == a)
            s += m->cn[c].excess;
    return s;
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

enum { OP_CREATE, OP_FIRE, OP_UPDATE, OP_CLOCK, OP_SWEEP };

/* one deliberate defect in the data, at most */
enum {
    D_NONE,
    D_NO_TARGET,   /* the id names no record: not_found */
    D_NO_REF,      /* a required reference missing: field.required */
    D_BAD_REF,     /* a reference to no record: not_found */
    D_NO_NAME,     /* field.required */
    D_BAD_EMAIL,   /* field.invalid */
    D_BAD_QTY,     /* a quantity of 0: field.invalid */
    D_BAD_PRICE,   /* a price with 3 decimals: field.invalid */
    D_NO_LINES,    /* field.required */
    D_BAD_LINE,    /* a line number the record lacks: field.invalid */
    D_NO_REASON,   /* field.required */
    D_BAD_REASON,  /* a dispute reason outside the list: field.invalid */
    D_ZERO_AMOUNT, /* field.invalid */
    D_NO_AMOUNT,   /* field.required */
};

typedef struct cmd {
    int op, t, i, ev;
    int roles; /* -1: no actor */
    int version;
    int defect;
    int ref;
    int nl;
    mline l[MAXL];
    int nq;
    int qref[MAXIL];
    int64_t qqty[MAXIL];
    int has_lines;
    int64_t amount;
    int has_amount;
    int pcur; /* -1: the account's */
    int na;
    int ainv[3];
    int64_t aamt[3];
    int32_t date;
    int has_date;
    int conv_acc; /* -1: a new account */
    int conv_opp;
    int64_t limit;
    int has_limit;
    int32_t day;
    int acur, terms;
} cmd;

typedef struct pev {
    int t, i;
    const char *name;
    int from, to, ver;
} pev;

typedef struct outcome {
    int code;
    const char *rule;
    int nev;
    pev ev[64];
} outcome;

static void id_of(char *buf, size_t n, int t, int i)
{
    if (i < 0)
        snprintf(buf, n, "%s-999999", tprefix[t]);
    else
        snprintf(buf, n, "%s-%06d", tprefix[t], i + 1);
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */

static int32_t days_from_civil(int y, int mo, int d)
{
    y -= mo <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil(int32_t z, char out[32])
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int mo = mp + (mp < 10 ? 3 : -9);
    y += mo <= 2;
    snprintf(out, 32, "%04d-%02d-%02d", y, mo, d);
}

/* ------------------------------------------------------------------ */
/* Rendering a command as JSON                                         */

typedef struct sbuf {
    char s[8192];
    size_t n;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    ck_assert(k >= 0 && (size_t)k < sizeof b->s - b->n);
    b->n += (size_t)k;
}

static void put_money(sbuf *b, int64_t v, int exp)
{
    if (exp == 0)
        put(b, "\"%" PRId64 "\"", v);
    else
        put(b, "\"%" PRId64 ".%02" PRId64 "\"", v / 100, v % 100);
}

static void put_qty(sbuf *b, int64_t q)
{
    if (q % 1000 == 0 && chance(50))
        put(b, "%" PRId64, q / 1000);
    else
        put(b, "\"%" PRId64 ".%03" PRId64 "\"", q / 1000, q % 1000);
}

static void put_pct(sbuf *b, int32_t p) { put(b, "\"%d.%02d\"", p / 100, p % 100); }

static void put_priced_lines(sbuf *b, const cmd *c, int exp)
{
    put(b, "\"lines\":[");
    for (int k = 0; k < c->nl; k++) {
        const mline *l = &c->l[k];
        put(b, "%s{\"sku\":\"SKU-%d\",\"qty\":", k ? "," : "", k + 1);
        if (c->defect == D_BAD_QTY && k == c->nl - 1)
            put(b, "\"0\"");
        else
            put_qty(b, l->qty);
        put(b, ",\"unit_price\":");
        if (c->defect == D_BAD_PRICE && k == c->nl - 1)
            put(b, "\"1.005\"");
        else
            put_money(b, l->price, exp);
        if (l->disc || chance(30)) {
            put(b, ",\"discount_pct\":");
            put_pct(b, l->disc);
        }
        if (l->tax || chance(30)) {
            put(b, ",\"tax_rate_pct\":");
            put_pct(b, l->tax);
        }
        put(b, "}");
    }
    put(b, "]");
}

/* quantity lines: key names the line ("line", "order_line", "invoice_line"), 1-based */
static void put_qty_lines(sbuf *b, const cmd *c, const char *key)
{
    put(b, "\"lines\":[");
    for (int k = 0; k < c->nq; k++) {
        put(b, "%s{\"%s\":%d,\"qty\":", k ? "," : "", key,
            c->defect == D_BAD_LINE && k == c->nq - 1 ? 9 : c->qref[k] + 1);
        if (c->defect == D_BAD_QTY && k == c->nq - 1)
            put(b, "0");
        else
            put_qty(b, c->qqty[k]);
        put(b, "}");
    }
    put(b, "]");
}

static void put_ref(sbuf *b, const char *key, int t, int i, int defect)
{
    char id[32];
    if (defect == D_NO_REF)
        return;
    id_of(id, sizeof id, t, defect == D_BAD_REF ? -1 : i);
    put(b, "\"%s\":\"%s\",", key, id);
}

static void render(const model *m, const cmd *c, sbuf *b)
{
    char id[32], date[32];
    b->n = 0;
    if (c->op == OP_CLOCK) {
        civil(c->day, date);
        put(b, "{\"op\":\"clock\",\"now\":\"%sT%02d:%02d:00Z\"}", date, rn(24), rn(60));
        return;
    }
    if (c->op == OP_SWEEP) {
        put(b, "{\"op\":\"sweep\"}");
        return;
    }
    static const char *const ops[] = {"create", "fire", "update"};
    put(b, "{\"op\":\"%s\",\"type\":\"%s\"", ops[c->op], tname[c->t]);
    if (c->op != OP_CREATE) {
        id_of(id, sizeof id, c->t, c->defect == D_NO_TARGET ? -1 : c->i);
        put(b, ",\"id\":\"%s\"", id);
    }
    if (c->op == OP_FIRE)
        put(b, ",\"event\":\"%s\"", evdefs[c->t][c->ev].name);
    if (c->version)
        put(b, ",\"version\":%d", c->version);
    if (c->roles >= 0) {
        put(b, ",\"actor\":{\"id\":\"u-%d\",\"roles\":[\"sales_rep\"", rn(9));
        if (c->roles & R_FIN)
            put(b, ",\"finance\"");
        if (c->roles & R_SM)
            put(b, ",\"sales_manager\"");
        put(b, "]}");
    }
    put(b, ",\"data\":{");
    size_t start = b->n;
    int exp = 2;
    switch (c->t) {
    case T_ACC:
        if (c->op == OP_CREATE) {
            if (c->defect != D_NO_NAME)
                put(b, "\"name\":\"Account %d\",", m->n[T_ACC] + 1);
            put(b, "\"currency\":\"%s\",\"payment_terms_days\":%d,", curname[c->acur], c->terms);
        }
        if (c->has_limit) {
            put(b, "\"credit_limit\":");
            if (c->limit < 0)
                put(b, "null");
            else
                put_money(b, c->limit, curexp[c->op == OP_CREATE ? c->acur : m->acc[c->i].cur]);
            put(b, ",");
        }
        break;
    case T_LEAD:
        if (c->op == OP_CREATE) {
            if (c->defect != D_NO_NAME)
                put(b, "\"name\":\"Lead %d\",", m->n[T_LEAD] + 1);
            if (c->ref)
                put(b, "\"company\":\"Company %d\",", m->n[T_LEAD] + 1);
            put(b, "\"email\":\"%s\",", c->defect == D_BAD_EMAIL ? "lead.example.org" : "l@x.org");
        } else if (c->op == OP_UPDATE) {
            put(b, "\"source\":\"s%d\",", rn(100));
            if (c->defect == D_BAD_EMAIL)
                put(b, "\"email\":\"nobody\",");
        } else if (c->ev == EL_DISQUALIFY && c->defect != D_NO_REASON) {
            put(b, "\"reason\":\"no budget\",");
        } else if (c->ev == EL_CONVERT) {
            if (c->defect == D_BAD_REF)
                put(b, "\"account\":\"ACC-999999\",");
            else if (c->conv_acc >= 0)
                put(b, "\"account\":\"%s-%06d\",", tprefix[T_ACC], c->conv_acc + 1);
            if (c->conv_opp) {
                put(b, "\"opportunity\":{\"amount\":");
                put_money(b, c->amount, 2);
                put(b, "},");
            }
        }
        break;
    case T_OPP:
        if (c->op == OP_CREATE) {
            put_ref(b, "account", T_ACC, c->ref, c->defect);
            if (c->defect != D_NO_NAME)
                put(b, "\"name\":\"Deal %d\",", m->n[T_OPP] + 1);
        } else if (c->op == OP_UPDATE) {
            put(b, "\"name\":\"Deal %d renamed\",", c->i + 1);
        } else if (c->ev == EO_LOSE && c->defect != D_NO_REASON) {
            put(b, "\"reason\":\"lost to a competitor\",");
        }
        break;
    case T_QUOTE:
        if (c->op == OP_CREATE || c->op == OP_UPDATE) {
            int q = c->op == OP_CREATE ? -1 : c->i;
            if (c->op == OP_CREATE)
                put_ref(b, "opportunity", T_OPP, c->ref, c->defect);
            int o = c->op == OP_CREATE ? c->ref : m->quote[q].opp;
            exp = c->defect == D_BAD_REF || c->defect == D_NO_REF ? 2 : curexp[m->acc[m->opp[o].acc].cur];
            if (c->has_date) {
                if (c->date == NODATE) {
                    put(b, "\"valid_until\":null,");
                } else {
                    civil(c->date, date);
                    put(b, "\"valid_until\":\"%s\",", date);
                }
            }
            if (c->has_lines) {
                put_priced_lines(b, c, exp);
                put(b, ",");
            }
        } else if ((c->ev == EQ_REJECT || c->ev == EQ_DECLINE) && c->defect != D_NO_REASON) {
            put(b, "\"reason\":\"too expensive\",");
        } else if (c->ev == EQ_REVISE && c->has_date) {
            civil(c->date, date);
            put(b, "\"valid_until\":\"%s\",", date);
        }
        break;
    case T_ORDER:
        if (c->op == OP_CREATE || c->op == OP_UPDATE) {
            if (c->op == OP_CREATE)
                put_ref(b, "account", T_ACC, c->ref, c->defect);
            int a = c->op == OP_CREATE ? c->ref : m->order[c->i].acc;
            exp = c->defect == D_BAD_REF || c->defect == D_NO_REF ? 2 : curexp[m->acc[a].cur];
            if (c->defect == D_NO_LINES)
                put(b, "\"lines\":[],");
            else if (c->has_lines) {
                put_priced_lines(b, c, exp);
                put(b, ",");
            }
        } else if (c->ev == ES_FULFILL) {
            if (c->defect == D_NO_LINES)
                put(b, "\"lines\":[],");
            else {
                put_qty_lines(b, c, "line");
                put(b, ",");
            }
        } else if (c->ev == ES_CLOSE && c->defect != D_NO_REASON) {
            put(b, "\"reason\":\"short-closed\",");
        }
        break;
    case T_INV:
        if (c->op == OP_CREATE || c->op == OP_UPDATE) {
            if (c->op == OP_CREATE)
                put_ref(b, "order", T_ORDER, c->ref, c->defect);
            if (c->has_lines) {
                put_qty_lines(b, c, "order_line");
                put(b, ",");
            }
        } else if (c->ev == EI_DISPUTE && c->defect != D_NO_REASON) {
            static const char *const reasons[] = {"pricing",       "quantity", "not_ordered",
                                                  "not_delivered", "quality",  "other"};
            put(b, "\"reason\":\"%s\",", c->defect == D_BAD_REASON ? "late" : reasons[rn(6)]);
        }
        break;
    case T_PAY: {
        if (c->op == OP_CREATE) {
            put_ref(b, "account", T_ACC, c->ref, c->defect);
            int cur = c->pcur >= 0 ? c->pcur
                      : c->defect == D_BAD_REF || c->defect == D_NO_REF ? CUR_EUR
                                                                        : m->acc[c->ref].cur;
            if (c->pcur >= 0)
                put(b, "\"currency\":\"%s\",", curname[c->pcur]);
            if (c->defect == D_ZERO_AMOUNT)
                put(b, "\"amount\":\"0\",");
            else if (c->defect != D_NO_AMOUNT) {
                put(b, "\"amount\":");
                put_money(b, c->amount, curexp[cur]);
                put(b, ",");
            }
            put(b, "\"method\":\"sepa\",");
            if (c->na) {
                put(b, "\"allocations\":[");
                for (int k = 0; k < c->na; k++) {
                    id_of(id, sizeof id, T_INV, c->ainv[k]);
                    put(b, "%s{\"invoice\":\"%s\",\"amount\":", k ? "," : "", id);
                    put_money(b, c->aamt[k], curexp[cur]);
                    put(b, "}");
                }
                put(b, "],");
            }
        } else if (c->op == OP_UPDATE) {
            put(b, "\"reference\":\"R-%d\",", rn(1000));
        } else if (c->ev == EP_ALLOCATE) {
            put_ref(b, "invoice", T_INV, c->ref, c->defect);
            if (c->defect == D_ZERO_AMOUNT)
                put(b, "\"amount\":\"0.00\",");
            else if (c->defect != D_NO_AMOUNT) {
                put(b, "\"amount\":");
                put_money(b, c->amount, curexp[m->pay[c->i].cur]);
                put(b, ",");
            }
        }
        break;
    }
    case T_CN:
        if (c->op == OP_CREATE || c->op == OP_UPDATE) {
            if (c->op == OP_CREATE)
                put_ref(b, "invoice", T_INV, c->ref, c->defect);
            if (c->defect == D_NO_LINES)
                put(b, "\"lines\":[],");
            else if (c->has_lines) {
                put_qty_lines(b, c, "invoice_line");
                put(b, ",");
            }
            put(b, "\"reason\":\"returned goods\",");
        }
        break;
    }
    if (b->n > start && b->s[b->n - 1] == ',')
        b->n--;
    put(b, "}}");
}

/* ------------------------------------------------------------------ */
/* The model's step: predict the answer and apply it                   */

static int refuse(outcome *o, int code, const char *rule)
{
    o->code = code;
    o->rule = rule;
    return code;
}

static void emit(model *m, outcome *o, int t, int i, const char *name, int to)
{
    ck_assert_int_lt(o->nev, 64);
    pev *e = &o->ev[o->nev++];
    e->t = t;
    e->i = i;
    e->name = name;
    e->from = strcmp(name, "create") ? m->st[t][i] : -1;
    e->to = to;
    m->st[t][i] = to;
    m->ver[t][i] = strcmp(name, "create") ? m->ver[t][i] + 1 : 1;
    e->ver = m->ver[t][i];
}

static int new_rec(model *m, int t)
{
    ck_assert_int_lt(m->n[t], MAXN);
    int i = m->n[t]++;
    m->st[t][i] = 0;
    m->ver[t][i] = 0;
    return i;
}

/* the checks every fire has: record, version, state, role */
static int fire_checks(model *m, const cmd *c, outcome *o)
{
    if (c->defect == D_NO_TARGET)
        return refuse(o, L2C_ENOTFOUND, NULL);
    if (c->version && c->version != m->ver[c->t][c->i])
        return refuse(o, L2C_ECONFLICT, NULL);
    const evdef *d = &evdefs[c->t][c->ev];
    if (!(d->from & B(m->st[c->t][c->i])) || d->cascade)
        return refuse(o, L2C_ETRANSITION, NULL);
    if (d->role && (c->roles < 0 || !(c->roles & d->role)))
        return refuse(o, L2C_EFORBIDDEN, NULL);
    return 0;
}

static int update_checks(model *m, const cmd *c, outcome *o)
{
    if (c->defect == D_NO_TARGET)
        return refuse(o, L2C_ENOTFOUND, NULL);
    if (c->version && c->version != m->ver[c->t][c->i])
        return refuse(o, L2C_ECONFLICT, NULL);
    return 0;
}

static int valid_lines(const cmd *c, outcome *o)
{
    if (c->defect == D_BAD_QTY || c->defect == D_BAD_PRICE)
        return refuse(o, L2C_EINVAL, "field.invalid");
    return 0;
}

static void copy_lines(mline *dst, int *ndst, const cmd *c)
{
    *ndst = c->nl;
    memcpy(dst, c->l, sizeof c->l[0] * (size_t)c->nl);
}

static int check_order_complete(model *m, outcome *o, int s)
{
    if (m->st[T_ORDER][s] != S_CONFIRMED)
        return 0;
    for (int k = 0; k < m->order[s].nl; k++)
        if (m->order[s].ful[k] < m->order[s].l[k].qty ||
            invoiced(m, s, k, -1, 1) < m->order[s].l[k].qty)
            return 0;
    emit(m, o, T_ORDER, s, "complete", S_COMPLETED);
    return 0;
}

static void cancel_open_quotes(model *m, outcome *o, int opp)
{
    for (int q = 0; q < m->n[T_QUOTE]; q++)
        if (m->quote[q].opp == opp && (QUOTE_OPEN & B(m->st[T_QUOTE][q])))
            emit(m, o, T_QUOTE, q, "cancel", Q_CANCELLED);
}

/* the invoices an allocation list names, in creation order */
static int alloc_invoices(const int *ai, int na, int *out)
{
    int k = 0;
    for (int i = 0; i < MAXN && k < na; i++)
        for (int a = 0; a < na; a++)
            if (ai[a] == i) {
                out[k++] = i;
                break;
            }
    return k;
}

static int by_due(const model *m, int i) { return m->today > m->inv[i].due ? I_OVERDUE : I_ISSUED; }

/* the rules of one allocation; `earlier` allocations of the same create count */
static int alloc_rules(model *m, int p, int inv, int64_t amount, int64_t unalloc,
                       int64_t earlier, outcome *o)
{
    if (m->pay[p].cur != m->acc[inv_acc(m, inv)].cur)
        return refuse(o, L2C_EINVAL, "currency.mismatch");
    if (m->pay[p].acc != inv_acc(m, inv))
        return refuse(o, L2C_EGUARD, "account.mismatch");
    if (!inv_open(m->st[T_INV][inv]))
        return refuse(o, L2C_EGUARD, "invoice.not_open");
    if (amount > unalloc)
        return refuse(o, L2C_EGUARD, "payment.over_allocation");
    if (amount > inv_balance(m, inv) - earlier)
        return refuse(o, L2C_EGUARD, "invoice.overpayment");
    return 0;
}

/* credit note lines: per invoice line, this note + issued notes <= invoiced */
static int cn_rules(const model *m, int inv, const int *il, const int64_t *q, int nl, int self,
                    outcome *o)
{
    int st = m->st[T_INV][inv];
    if (!inv_open(st) && st != I_PAID)
        return refuse(o, L2C_EGUARD, "invoice.not_creditable");
    for (int k = 0; k < m->inv[inv].nl; k++) {
        int64_t sum = 0;
        for (int j = 0; j < nl; j++)
            if (il[j] == k)
                sum += q[j];
        if (!sum)
            continue;
        for (int c = 0; c < m->n[T_CN]; c++)
            if (c != self && m->cn[c].inv == inv && m->st[T_CN][c] == C_ISSUED)
                for (int j = 0; j < m->cn[c].nl; j++)
                    if (m->cn[c].il[j] == k)
                        sum += m->cn[c].q[j];
        if (sum > m->inv[inv].q[k])
            return refuse(o, L2C_EGUARD, "credit_note.exceeds_invoice");
    }
    return 0;
}

/* invoice lines: explicit (cmd) or everything left; rules in order */
static int inv_lines(model *m, const cmd *c, int order, int self, int *nl, int *ol, int64_t *q,
                     outcome *o)
{
    const int nol = m->order[order].nl;
    if (c->has_lines) {
        *nl = c->nq;
        for (int k = 0; k < c->nq; k++) {
            ol[k] = c->qref[k];
            q[k] = c->qqty[k];
        }
    } else {
        *nl = 0;
        for (int k = 0; k < nol; k++) {
            int64_t left = m->order[order].l[k].qty - invoiced(m, order, k, self, 0);
            if (left > 0) {
                ol[*nl] = k;
                q[(*nl)++] = left;
            }
        }
    }
    if (m->st[T_ORDER][order] != S_CONFIRMED)
        return refuse(o, L2C_EGUARD, "order.not_confirmed");
    for (int k = 0; k < nol; k++) {
        int64_t mine = 0;
        for (int j = 0; j < *nl; j++)
            if (ol[j] == k)
                mine += q[j];
        if (mine && mine + invoiced(m, order, k, self, 0) > m->order[order].l[k].qty)
            return refuse(o, L2C_EGUARD, "invoice.exceeds_order");
    }
    if (*nl == 0)
        return refuse(o, L2C_EGUARD, "invoice.empty");
    return 0;
}

static int64_t uninvoiced(const model *m, int s)
{
    int64_t sum = 0;
    for (int k = 0; k < m->order[s].nl; k++) {
        int64_t left = m->order[s].l[k].qty - invoiced(m, s, k, -1, 0);
        if (left > 0)
            sum += line_total(&m->order[s].l[k], left);
    }
    return sum;
}

/* the credit exposure of DESIGN §6 of account a, without order s's own total */
static int64_t exposure_base(const model *m, int a, int s)
{
    int64_t exp = 0;
    for (int i = 0; i < m->n[T_INV]; i++)
        if (inv_acc(m, i) == a && (m->st[T_INV][i] == I_DRAFT || inv_open(m->st[T_INV][i])))
            exp += inv_balance(m, i);
    for (int k = 0; k < m->n[T_ORDER]; k++)
        if (k != s && m->order[k].acc == a &&
            (m->st[T_ORDER][k] == S_CONFIRMED || m->st[T_ORDER][k] == S_ON_HOLD))
            exp += uninvoiced(m, k);
    return exp;
}

/* ... and with it: the exposure when order s is confirmed */
static int64_t exposure(const model *m, int s)
{
    return exposure_base(m, m->order[s].acc, s) + lines_total(m->order[s].l, m->order[s].nl);
}

static int credit_limit_exceeded(const model *m, int s)
{
    const int64_t limit = m->acc[m->order[s].acc].limit;
    return limit >= 0 && exposure(m, s) > limit;
}

static int step_create(model *m, const cmd *c, outcome *o)
{
    int i;
    switch (c->t) {
    case T_ACC:
        if (c->defect == D_NO_NAME)
            return refuse(o, L2C_EINVAL, "field.required");
        i = new_rec(m, T_ACC);
        m->acc[i].cur = c->acur;
        m->acc[i].limit = c->has_limit ? c->limit : -1;
        m->acc[i].terms = c->terms;
        emit(m, o, T_ACC, i, "create", A_ACTIVE);
        return 0;
    case T_LEAD:
        if (c->defect == D_NO_NAME)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_EMAIL)
            return refuse(o, L2C_EINVAL, "field.invalid");
        i = new_rec(m, T_LEAD);
        m->lead[i].company = c->ref;
        emit(m, o, T_LEAD, i, "create", L_NEW);
        return 0;
    case T_OPP:
        if (c->defect == D_NO_REF || c->defect == D_NO_NAME)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_REF)
            return refuse(o, L2C_ENOTFOUND, NULL);
        if (m->st[T_ACC][c->ref] == A_CLOSED)
            return refuse(o, L2C_EGUARD, "account.closed");
        i = new_rec(m, T_OPP);
        m->opp[i].acc = c->ref;
        emit(m, o, T_OPP, i, "create", O_PROSPECTING);
        return 0;
    case T_QUOTE:
        if (c->defect == D_NO_REF)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_REF)
            return refuse(o, L2C_ENOTFOUND, NULL);
        if (valid_lines(c, o))
            return o->code;
        if (m->st[T_ACC][m->opp[c->ref].acc] == A_CLOSED)
            return refuse(o, L2C_EGUARD, "account.closed");
        if (!(OPP_OPEN & B(m->st[T_OPP][c->ref])))
            return refuse(o, L2C_EGUARD, "quote.opportunity_closed");
        i = new_rec(m, T_QUOTE);
        m->quote[i].opp = c->ref;
        copy_lines(m->quote[i].l, &m->quote[i].nl, c);
        m->quote[i].vu = c->has_date ? c->date : NODATE;
        m->quote[i].rev = 1;
        m->quote[i].sup = -1;
        emit(m, o, T_QUOTE, i, "create", Q_DRAFT);
        return 0;
    case T_ORDER:
        if (c->defect == D_NO_REF || c->defect == D_NO_LINES)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_REF)
            return refuse(o, L2C_ENOTFOUND, NULL);
        if (valid_lines(c, o))
            return o->code;
        if (m->st[T_ACC][c->ref] == A_CLOSED)
            return refuse(o, L2C_EGUARD, "account.closed");
        i = new_rec(m, T_ORDER);
        m->order[i].acc = c->ref;
        m->order[i].quote = -1;
        copy_lines(m->order[i].l, &m->order[i].nl, c);
        memset(m->order[i].ful, 0, sizeof m->order[i].ful);
        emit(m, o, T_ORDER, i, "create", S_DRAFT);
        return 0;
    case T_INV: {
        if (c->defect == D_NO_REF)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_REF)
            return refuse(o, L2C_ENOTFOUND, NULL);
        if (c->defect == D_BAD_LINE || c->defect == D_BAD_QTY)
            return refuse(o, L2C_EINVAL, "field.invalid");
        int nl, ol[MAXIL];
        int64_t q[MAXIL];
        if (inv_lines(m, c, c->ref, -1, &nl, ol, q, o))
            return o->code;
        i = new_rec(m, T_INV);
        m->inv[i].order = c->ref;
        m->inv[i].nl = nl;
        memcpy(m->inv[i].ol, ol, sizeof ol);
        memcpy(m->inv[i].q, q, sizeof q);
        m->inv[i].due = NODATE;
        emit(m, o, T_INV, i, "create", I_DRAFT);
        return 0;
    }
    case T_PAY: {
        if (c->defect == D_NO_REF || c->defect == D_NO_AMOUNT)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_REF)
            return refuse(o, L2C_ENOTFOUND, NULL);
        if (c->defect == D_ZERO_AMOUNT)
            return refuse(o, L2C_EINVAL, "field.invalid");
        i = new_rec(m, T_PAY);
        m->pay[i].acc = c->ref;
        m->pay[i].cur = c->pcur >= 0 ? c->pcur : m->acc[c->ref].cur;
        m->pay[i].amount = c->amount;
        m->pay[i].na = 0;
        int64_t unalloc = c->amount;
        for (int k = 0; k < c->na; k++) {
            int64_t earlier = 0;
            for (int j = 0; j < k; j++)
                if (c->ainv[j] == c->ainv[k])
                    earlier += c->aamt[j];
            if (alloc_rules(m, i, c->ainv[k], c->aamt[k], unalloc, earlier, o))
                return o->code;
            unalloc -= c->aamt[k];
        }
        for (int k = 0; k < c->na; k++) {
            m->pay[i].ai[k] = c->ainv[k];
            m->pay[i].aa[k] = c->aamt[k];
        }
        m->pay[i].na = c->na;
        emit(m, o, T_PAY, i, "create", P_RECEIVED);
        int inv[3], k = alloc_invoices(c->ainv, c->na, inv);
        for (int j = 0; j < k; j++)
            if (inv_open(m->st[T_INV][inv[j]]) && inv_balance(m, inv[j]) == 0)
                emit(m, o, T_INV, inv[j], "settle", I_PAID);
        return 0;
    }
    case T_CN: {
        if (c->defect == D_NO_REF || c->defect == D_NO_LINES)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_REF)
            return refuse(o, L2C_ENOTFOUND, NULL);
        if (c->defect == D_BAD_LINE || c->defect == D_BAD_QTY)
            return refuse(o, L2C_EINVAL, "field.invalid");
        if (cn_rules(m, c->ref, c->qref, c->qqty, c->nq, -1, o))
            return o->code;
        i = new_rec(m, T_CN);
        m->cn[i].inv = c->ref;
        m->cn[i].nl = c->nq;
        memcpy(m->cn[i].il, c->qref, sizeof c->qref);
        memcpy(m->cn[i].q, c->qqty, sizeof c->qqty);
        m->cn[i].applied = m->cn[i].excess = -1;
        emit(m, o, T_CN, i, "create", C_DRAFT);
        return 0;
    }
    }
    return 0;
}

static int step_update(model *m, const cmd *c, outcome *o)
{
    if (update_checks(m, c, o))
        return o->code;
    int i = c->i, st = m->st[c->t][i];
    switch (c->t) {
    case T_ACC:
        if (st == A_CLOSED)
            return refuse(o, L2C_EINVAL, "field.immutable");
        if (c->has_limit)
            m->acc[i].limit = c->limit;
        break;
    case T_LEAD:
        if (st == L_CONVERTED)
            return refuse(o, L2C_EINVAL, "field.immutable");
        if (c->defect == D_BAD_EMAIL)
            return refuse(o, L2C_EINVAL, "field.invalid");
        break;
    case T_OPP:
        if (st == O_WON)
            return refuse(o, L2C_EINVAL, "field.immutable");
        break;
    case T_QUOTE:
        if (st != Q_DRAFT)
            return refuse(o, L2C_EINVAL, "field.immutable");
        if (valid_lines(c, o))
            return o->code;
        if (c->has_date)
            m->quote[i].vu = c->date;
        if (c->has_lines)
            copy_lines(m->quote[i].l, &m->quote[i].nl, c);
        break;
    case T_ORDER:
        if (st != S_DRAFT)
            return refuse(o, L2C_EINVAL, "field.immutable");
        if (c->has_lines || c->defect == D_NO_LINES) {
            if (m->order[i].quote >= 0)
                return refuse(o, L2C_EINVAL, "field.immutable");
            if (c->defect == D_NO_LINES)
                return refuse(o, L2C_EINVAL, "field.required");
            if (valid_lines(c, o))
                return o->code;
            copy_lines(m->order[i].l, &m->order[i].nl, c);
        }
        break;
    case T_INV: {
        if (st != I_DRAFT)
            return refuse(o, L2C_EINVAL, "field.immutable");
        if (!c->has_lines) { /* an update needs the order confirmed, lines or not */
            if (m->st[T_ORDER][m->inv[i].order] != S_CONFIRMED)
                return refuse(o, L2C_EGUARD, "order.not_confirmed");
            break;
        }
        if (c->defect == D_BAD_LINE || c->defect == D_BAD_QTY)
            return refuse(o, L2C_EINVAL, "field.invalid");
        int nl, ol[MAXIL];
        int64_t q[MAXIL];
        if (inv_lines(m, c, m->inv[i].order, i, &nl, ol, q, o))
            return o->code;
        m->inv[i].nl = nl;
        memcpy(m->inv[i].ol, ol, sizeof ol);
        memcpy(m->inv[i].q, q, sizeof q);
        break;
    }
    case T_PAY:
        if (st != P_RECEIVED)
            return refuse(o, L2C_EINVAL, "field.immutable");
        break;
    case T_CN:
        if (st != C_DRAFT)
            return refuse(o, L2C_EINVAL, "field.immutable");
        if (!c->has_lines && c->defect != D_NO_LINES)
            break;
        if (c->defect == D_NO_LINES)
            return refuse(o, L2C_EINVAL, "field.required");
        if (c->defect == D_BAD_LINE || c->defect == D_BAD_QTY)
            return refuse(o, L2C_EINVAL, "field.invalid");
        if (cn_rules(m, m->cn[i].inv, c->qref, c->qqty, c->nq, i, o))
            return o->code;
        m->cn[i].nl = c->nq;
        memcpy(m->cn[i].il, c->qref, sizeof c->qref);
        memcpy(m->cn[i].q, c->qqty, sizeof c->qqty);
        break;
    }
    emit(m, o, c->t, i, "update", st);
    return 0;
}

static int step_fire(model *m, const cmd *c, outcome *o)
{
    if (fire_checks(m, c, o))
        return o->code;
    const int i = c->i;
    const char *name = evdefs[c->t][c->ev].name;
    switch (c->t) {
    case T_ACC:
        switch (c->ev) {
        case EA_HOLD:
            emit(m, o, T_ACC, i, name, A_ON_HOLD);
            return 0;
        case EA_RELEASE:
            emit(m, o, T_ACC, i, name, A_ACTIVE);
            return 0;
        case EA_CLOSE: {
            int has = acc_open_balance(m, i) > 0;
            for (int k = 0; !has && k < m->n[T_INV]; k++)
                has = inv_acc(m, k) == i && m->st[T_INV][k] == I_DRAFT && inv_balance(m, k) > 0;
            if (has)
                return refuse(o, L2C_EGUARD, "account.has_open_balance");
            emit(m, o, T_ACC, i, name, A_CLOSED);
            return 0;
        }
        }
        break;
    case T_LEAD:
        switch (c->ev) {
        case EL_CONTACT:
            emit(m, o, T_LEAD, i, name, L_WORKING);
            return 0;
        case EL_QUALIFY:
            emit(m, o, T_LEAD, i, name, L_QUALIFIED);
            return 0;
        case EL_DISQUALIFY:
            if (c->defect == D_NO_REASON)
                return refuse(o, L2C_EINVAL, "field.required");
            emit(m, o, T_LEAD, i, name, L_DISQUALIFIED);
            return 0;
        case EL_REOPEN:
            emit(m, o, T_LEAD, i, name, L_WORKING);
            return 0;
        case EL_CONVERT: {
            if (c->defect == D_BAD_REF)
                return refuse(o, L2C_ENOTFOUND, NULL);
            if (c->conv_acc >= 0 && m->st[T_ACC][c->conv_acc] == A_CLOSED)
                return refuse(o, L2C_EGUARD, "account.closed");
            emit(m, o, T_LEAD, i, name, L_CONVERTED);
            int a = c->conv_acc;
            if (a < 0) {
                a = new_rec(m, T_ACC);
                m->acc[a].cur = CUR_EUR;
                m->acc[a].limit = -1;
                m->acc[a].terms = 30;
                emit(m, o, T_ACC, a, "create", A_ACTIVE);
            }
            if (c->conv_opp) {
                int p = new_rec(m, T_OPP);
                m->opp[p].acc = a;
                emit(m, o, T_OPP, p, "create", O_PROSPECTING);
            }
            return 0;
        }
        }
        break;
    case T_OPP:
        switch (c->ev) {
        case EO_QUALIFY:
            emit(m, o, T_OPP, i, name, O_QUALIFICATION);
            return 0;
        case EO_PROPOSE:
            emit(m, o, T_OPP, i, name, O_PROPOSAL);
            return 0;
        case EO_NEGOTIATE:
            emit(m, o, T_OPP, i, name, O_NEGOTIATION);
            return 0;
        case EO_WIN: {
            int accepted = 0;
            for (int q = 0; q < m->n[T_QUOTE]; q++)
                accepted |= m->quote[q].opp == i && m->st[T_QUOTE][q] == Q_ACCEPTED;
            if (!accepted)
                return refuse(o, L2C_EGUARD, "opportunity.no_accepted_quote");
            emit(m, o, T_OPP, i, name, O_WON);
            cancel_open_quotes(m, o, i);
            return 0;
        }
        case EO_LOSE:
            if (c->defect == D_NO_REASON)
                return refuse(o, L2C_EINVAL, "field.required");
            emit(m, o, T_OPP, i, name, O_LOST);
            cancel_open_quotes(m, o, i);
            return 0;
        case EO_REOPEN:
            emit(m, o, T_OPP, i, name, O_QUALIFICATION);
            return 0;
        }
        break;
    case T_QUOTE: {
        int expired = m->quote[i].vu != NODATE && m->today > m->quote[i].vu;
        int opp = m->quote[i].opp;
        switch (c->ev) {
        case EQ_SUBMIT:
            emit(m, o, T_QUOTE, i, name, Q_PENDING);
            return 0;
        case EQ_APPROVE:
            emit(m, o, T_QUOTE, i, name, Q_APPROVED);
            return 0;
        case EQ_REJECT:
            if (c->defect == D_NO_REASON)
                return refuse(o, L2C_EINVAL, "field.required");
            emit(m, o, T_QUOTE, i, name, Q_DRAFT);
            return 0;
        case EQ_SEND:
            if (m->quote[i].nl == 0)
                return refuse(o, L2C_EGUARD, "quote.empty");
            if (m->st[T_QUOTE][i] == Q_DRAFT)
                for (int k = 0; k < m->quote[i].nl; k++)
                    if (m->quote[i].l[k].disc > APPROVAL)
                        return refuse(o, L2C_EGUARD, "quote.approval_required");
            if (expired)
                return refuse(o, L2C_EGUARD, "quote.expired");
            emit(m, o, T_QUOTE, i, name, Q_SENT);
            return 0;
        case EQ_ACCEPT: {
            if (m->st[T_ACC][quote_acc(m, i)] == A_CLOSED)
                return refuse(o, L2C_EGUARD, "account.closed");
            if (expired)
                return refuse(o, L2C_EGUARD, "quote.expired");
            if (!(OPP_OPEN & B(m->st[T_OPP][opp])))
                return refuse(o, L2C_EGUARD, "quote.opportunity_closed");
            emit(m, o, T_QUOTE, i, name, Q_ACCEPTED);
            int s = new_rec(m, T_ORDER);
            m->order[s].acc = quote_acc(m, i);
            m->order[s].quote = i;
            m->order[s].nl = m->quote[i].nl;
            memcpy(m->order[s].l, m->quote[i].l, sizeof m->order[s].l);
            memset(m->order[s].ful, 0, sizeof m->order[s].ful);
            emit(m, o, T_ORDER, s, "create", S_DRAFT);
            emit(m, o, T_OPP, opp, "win", O_WON);
            cancel_open_quotes(m, o, opp);
            return 0;
        }
        case EQ_DECLINE:
            if (c->defect == D_NO_REASON)
                return refuse(o, L2C_EINVAL, "field.required");
            emit(m, o, T_QUOTE, i, name, Q_DECLINED);
            return 0;
        case EQ_EXPIRE:
            if (!expired)
                return refuse(o, L2C_EGUARD, "quote.not_expired");
            emit(m, o, T_QUOTE, i, name, Q_EXPIRED);
            return 0;
        case EQ_REVISE: {
            if (!(OPP_OPEN & B(m->st[T_OPP][opp])))
                return refuse(o, L2C_EGUARD, "quote.opportunity_closed");
            /* the new quote is a creation: a closed account takes none */
            if (m->st[T_ACC][quote_acc(m, i)] == A_CLOSED)
                return refuse(o, L2C_EGUARD, "account.closed");
            emit(m, o, T_QUOTE, i, name, Q_SUPERSEDED);
            int q = new_rec(m, T_QUOTE);
            m->quote[q] = m->quote[i];
            m->quote[q].rev = m->quote[i].rev + 1;
            m->quote[q].sup = i;
            if (c->has_date)
                m->quote[q].vu = c->date;
            emit(m, o, T_QUOTE, q, "create", Q_DRAFT);
            return 0;
        }
        case EQ_CANCEL:
            emit(m, o, T_QUOTE, i, name, Q_CANCELLED);
            return 0;
        }
        break;
    }
    case T_ORDER:
        switch (c->ev) {
        case ES_CONFIRM: {
            int a = m->order[i].acc;
            if (m->st[T_ACC][a] == A_CLOSED)
                return refuse(o, L2C_EGUARD, "account.closed");
            if (m->st[T_ACC][a] == A_ON_HOLD)
                return refuse(o, L2C_EGUARD, "account.on_hold");
            if (credit_limit_exceeded(m, i))
                return refuse(o, L2C_EGUARD, "account.credit_limit_exceeded");
            emit(m, o, T_ORDER, i, name, S_CONFIRMED);
            return 0;
        }
        case ES_HOLD:
            emit(m, o, T_ORDER, i, name, S_ON_HOLD);
            return 0;
        case ES_RELEASE:
            emit(m, o, T_ORDER, i, name, S_CONFIRMED);
            return 0;
        case ES_FULFILL: {
            if (c->defect == D_NO_LINES)
                return refuse(o, L2C_EINVAL, "field.required");
            if (c->defect == D_BAD_LINE || c->defect == D_BAD_QTY)
                return refuse(o, L2C_EINVAL, "field.invalid");
            int64_t ful[MAXL];
            memcpy(ful, m->order[i].ful, sizeof ful);
            for (int k = 0; k < c->nq; k++)
                ful[c->qref[k]] += c->qqty[k];
            for (int k = 0; k < m->order[i].nl; k++)
                if (ful[k] > m->order[i].l[k].qty)
                    return refuse(o, L2C_EGUARD, "order.overfulfillment");
            memcpy(m->order[i].ful, ful, sizeof ful);
            emit(m, o, T_ORDER, i, name, S_CONFIRMED);
            return check_order_complete(m, o, i);
        }
        case ES_CLOSE:
            if (c->defect == D_NO_REASON)
                return refuse(o, L2C_EINVAL, "field.required");
            emit(m, o, T_ORDER, i, name, S_CLOSED);
            return 0;
        case ES_CANCEL:
            for (int k = 0; k < m->order[i].nl; k++)
                if (m->order[i].ful[k] > 0)
                    return refuse(o, L2C_EGUARD, "order.has_fulfillment");
            for (int k = 0; k < m->n[T_INV]; k++)
                if (m->inv[k].order == i && m->st[T_INV][k] != I_VOID)
                    return refuse(o, L2C_EGUARD, "order.has_invoices");
            emit(m, o, T_ORDER, i, name, S_CANCELLED);
            return 0;
        }
        break;
    case T_INV:
        switch (c->ev) {
        case EI_ISSUE:
            m->inv[i].due = m->today + m->acc[inv_acc(m, i)].terms;
            emit(m, o, T_INV, i, name, I_ISSUED);
            if (inv_total(m, i) == 0)
                emit(m, o, T_INV, i, "settle", I_PAID);
            return check_order_complete(m, o, m->inv[i].order);
        case EI_OVERDUE:
            if (!(m->today > m->inv[i].due))
                return refuse(o, L2C_EGUARD, "invoice.not_due");
            emit(m, o, T_INV, i, name, I_OVERDUE);
            return 0;
        case EI_DISPUTE:
            if (c->defect == D_NO_REASON)
                return refuse(o, L2C_EINVAL, "field.required");
            if (c->defect == D_BAD_REASON)
                return refuse(o, L2C_EINVAL, "field.invalid");
            emit(m, o, T_INV, i, name, I_DISPUTED);
            return 0;
        case EI_RESOLVE:
            emit(m, o, T_INV, i, name, by_due(m, i));
            return 0;
        case EI_VOID: {
            int64_t a[4];
            inv_amounts(m, i, a);
            int has = a[0] > 0;
            for (int k = 0; !has && k < m->n[T_CN]; k++)
                has = m->cn[k].inv == i && m->st[T_CN][k] == C_ISSUED;
            if (has)
                return refuse(o, L2C_EGUARD, "invoice.has_payments");
            int os = m->st[T_ORDER][m->inv[i].order];
            if (os == S_COMPLETED || os == S_CLOSED)
                return refuse(o, L2C_EGUARD, "order.finished");
            emit(m, o, T_INV, i, name, I_VOID);
            return 0;
        }
        case EI_WRITE_OFF:
            emit(m, o, T_INV, i, name, I_WRITTEN_OFF);
            return 0;
        }
        break;
    case T_PAY:
        switch (c->ev) {
        case EP_ALLOCATE: {
            if (c->defect == D_NO_REF || c->defect == D_NO_AMOUNT)
                return refuse(o, L2C_EINVAL, "field.required");
            if (c->defect == D_BAD_REF)
                return refuse(o, L2C_ENOTFOUND, NULL);
            if (c->defect == D_ZERO_AMOUNT)
                return refuse(o, L2C_EINVAL, "field.invalid");
            int64_t un = m->pay[i].amount;
            for (int k = 0; k < m->pay[i].na; k++)
                un -= m->pay[i].aa[k];
            if (alloc_rules(m, i, c->ref, c->amount, un, 0, o))
                return o->code;
            ck_assert_int_lt(m->pay[i].na, MAXA);
            m->pay[i].ai[m->pay[i].na] = c->ref;
            m->pay[i].aa[m->pay[i].na++] = c->amount;
            emit(m, o, T_PAY, i, name, P_RECEIVED);
            if (inv_balance(m, c->ref) == 0)
                emit(m, o, T_INV, c->ref, "settle", I_PAID);
            return 0;
        }
        case EP_REVERSE: {
            int inv[MAXA], k = alloc_invoices(m->pay[i].ai, m->pay[i].na, inv);
            m->pay[i].na = 0;
            emit(m, o, T_PAY, i, name, P_REVERSED);
            for (int j = 0; j < k; j++)
                if (m->st[T_INV][inv[j]] == I_PAID)
                    emit(m, o, T_INV, inv[j], "reopen", by_due(m, inv[j]));
            return 0;
        }
        case EP_REFUND:
            if (m->pay[i].na)
                return refuse(o, L2C_EGUARD, "payment.allocated");
            emit(m, o, T_PAY, i, name, P_REFUNDED);
            return 0;
        }
        break;
    case T_CN:
        switch (c->ev) {
        case EC_ISSUE: {
            int inv = m->cn[i].inv;
            if (cn_rules(m, inv, m->cn[i].il, m->cn[i].q, m->cn[i].nl, i, o))
                return o->code;
            int64_t bal = inv_balance(m, inv), total = cn_total(m, i);
            if (bal < 0)
                bal = 0;
            m->cn[i].applied = total < bal ? total : bal;
            m->cn[i].excess = total - m->cn[i].applied;
            emit(m, o, T_CN, i, name, C_ISSUED);
            if (inv_open(m->st[T_INV][inv]) && inv_balance(m, inv) == 0)
                emit(m, o, T_INV, inv, "settle", I_PAID);
            return 0;
        }
        case EC_VOID:
            emit(m, o, T_CN, i, name, C_VOID);
            return 0;
        }
        break;
    }
    ck_abort_msg("model: unhandled event %s of %s", name, tname[c->t]);
    return 0;
}

static void step_sweep(model *m, outcome *o)
{
    for (int q = 0; q < m->n[T_QUOTE]; q++)
        if (m->st[T_QUOTE][q] == Q_SENT && m->quote[q].vu != NODATE && m->today > m->quote[q].vu)
            emit(m, o, T_QUOTE, q, "expire", Q_EXPIRED);
    for (int i = 0; i < m->n[T_INV]; i++)
        if (m->st[T_INV][i] == I_ISSUED && m->today > m->inv[i].due)
            emit(m, o, T_INV, i, "mark_overdue", I_OVERDUE);
}

static void step(model *m, const cmd *c, outcome *o)
{
    memset(o, 0, offsetof(outcome, ev));
    switch (c->op) {
    case OP_CREATE:
        step_create(m, c, o);
        break;
    case OP_UPDATE:
        step_update(m, c, o);
        break;
    case OP_FIRE:
        step_fire(m, c, o);
        break;
    case OP_CLOCK:
        m->today = c->day;
        break;
    case OP_SWEEP:
        step_sweep(m, o);
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Generating commands                                                 */

/* caps on direct creations per episode (cascades may add a few more) */
static const int cap[NT] = {15, 30, 40, 60, 50, 60, 50, 40};

static int pick(const model *m, int t) { return rn(m->n[t]); }

/* a record of type t in one of the states of `mask`, or -1 */
static int pick_in(const model *m, int t, unsigned mask)
{
    int cand[MAXN], k = 0;
    for (int i = 0; i < m->n[t]; i++)
        if (mask & B(m->st[t][i]))
            cand[k++] = i;
    return k ? cand[rn(k)] : -1;
}

/* an active account mostly (closed ones take no new business) */
static int pick_account(const model *m)
{
    int a = chance(85) ? pick_in(m, T_ACC, B(A_ACTIVE)) : -1;
    return a >= 0 ? a : pick(m, T_ACC);
}

static mline gen_line(int cur)
{
    mline l;
    static const int64_t qtys[] = {1000, 2000, 3000, 5000, 500, 1500, 2500, 10000};
    l.qty = qtys[rn(8)];
    if (chance(5))
        l.price = 0;
    else
        l.price = (int64_t)(rn(400) + 1) * (cur == CUR_JPY ? 100 : 25);
    static const int32_t discs[] = {0, 0, 0, 500, 1000, 2000, 2500, 5000};
    l.disc = discs[rn(8)];
    static const int32_t taxes[] = {0, 700, 1900, 2100, 810};
    l.tax = taxes[rn(5)];
    return l;
}

static void gen_lines(cmd *c, int cur)
{
    c->nl = 1 + rn(MAXL);
    for (int k = 0; k < c->nl; k++)
        c->l[k] = gen_line(cur);
    c->has_lines = 1;
}

static int gen_roles(int need)
{
    if (need && chance(85))
        return need | (chance(20) ? R_FIN | R_SM : 0);
    if (chance(50))
        return -1;
    return chance(20) ? R_FIN | R_SM : 0;
}

/* a quantity of something left to do, or a random one */
static int64_t some_qty(int64_t left)
{
    static const int64_t qtys[] = {500, 1000, 2000, 3000};
    if (left > 0 && chance(80)) {
        if (chance(10))
            return left + 1; /* one thousandth too many */
        if (chance(50))
            return left;
        int64_t q = (left / 1000) * 1000;
        if (q <= 0)
            return left;
        return 1000 * (1 + rn((int)(q / 1000)));
    }
    return qtys[rn(4)];
}

/* fill c->qref/qqty with lines over `nlines` lines, aiming at `left` quantities */
static void gen_qty_lines(cmd *c, int nlines, const int64_t *left)
{
    c->nq = 1 + rn(nlines < 3 ? nlines : 3);
    for (int k = 0; k < c->nq; k++) {
        c->qref[k] = rn(nlines);
        c->qqty[k] = some_qty(left[c->qref[k]]);
    }
    c->has_lines = 1;
}

/* how often an event is chosen among those its record's state allows: the
 * world should move forward more often than it dies */
static int ev_weight(int t, int e)
{
    static const int w_acc[] = {4, 8, 1};
    static const int w_lead[] = {4, 5, 1, 3, 6};
    static const int w_opp[] = {5, 5, 5, 1, 1, 4};
    static const int w_quote[] = {4, 5, 1, 8, 6, 1, 4, 3, 1};
    static const int w_order[] = {8, 1, 5, 6, 1, 1, 1};
    static const int w_inv[] = {8, 3, 1, 4, 1, 1, 1, 1};
    static const int w_pay[] = {10, 1, 1};
    static const int w_cn[] = {6, 1};
    static const int *const w[NT] = {w_acc, w_lead, w_opp, w_quote, w_order, w_inv, w_pay, w_cn};
    return w[t][e];
}

static int allowed(const model *m, int t, int i, int e)
{
    return (evdefs[t][e].from & B(m->st[t][i])) && !evdefs[t][e].cascade;
}

static int pick_event(const model *m, int t, int i)
{
    if (chance(85)) {
        int sum = 0;
        for (int e = 0; e < nevdefs[t]; e++)
            sum += allowed(m, t, i, e) ? ev_weight(t, e) : 0;
        if (sum) {
            int x = rn(sum);
            for (int e = 0; e < nevdefs[t]; e++)
                if (allowed(m, t, i, e) && (x -= ev_weight(t, e)) < 0)
                    return e;
        }
    }
    return rn(nevdefs[t]);
}

/* a record of type t that some event can move, mostly; any record else */
static int pick_live(const model *m, int t)
{
    if (chance(85)) {
        int cand[MAXN], k = 0;
        for (int i = 0; i < m->n[t]; i++)
            for (int e = 0; e < nevdefs[t]; e++)
                if (allowed(m, t, i, e)) {
                    cand[k++] = i;
                    break;
                }
        if (k)
            return cand[rn(k)];
    }
    return pick(m, t);
}

static int live_count(const model *m, int t)
{
    int k = 0;
    for (int i = 0; i < m->n[t]; i++)
        for (int e = 0; e < nevdefs[t]; e++)
            if (allowed(m, t, i, e)) {
                k++;
                break;
            }
    return k;
}

static void gen_create(const model *m, cmd *c, int t)
{
    c->op = OP_CREATE;
    c->t = t;
    switch (t) {
    case T_ACC:
        c->acur = chance(20) ? CUR_JPY : CUR_EUR;
        c->terms = rn(31);
        if (chance(40)) {
            c->has_limit = 1;
            c->limit = (int64_t)(rn(40) + 1) * (c->acur == CUR_JPY ? 10000 : 10000);
        }
        if (chance(5))
            c->defect = D_NO_NAME;
        break;
    case T_LEAD:
        c->ref = chance(60); /* company */
        if (chance(8))
            c->defect = chance(50) ? D_NO_NAME : D_BAD_EMAIL;
        break;
    case T_OPP:
        c->ref = pick_account(m);
        if (chance(8))
            c->defect = (int[]){D_NO_REF, D_BAD_REF, D_NO_NAME}[rn(3)];
        break;
    case T_QUOTE:
        c->ref = chance(70) ? pick_in(m, T_OPP, OPP_OPEN) : pick(m, T_OPP);
        if (c->ref < 0)
            c->ref = pick(m, T_OPP);
        if (chance(60)) {
            c->has_date = 1;
            c->date = chance(15) ? NODATE : m->today + rn(15) - 2;
        }
        if (chance(90))
            gen_lines(c, m->acc[m->opp[c->ref].acc].cur);
        if (chance(8))
            c->defect = (int[]){D_NO_REF, D_BAD_REF, D_BAD_QTY, D_BAD_PRICE}[rn(4)];
        if ((c->defect == D_BAD_QTY || c->defect == D_BAD_PRICE) && !c->has_lines)
            gen_lines(c, m->acc[m->opp[c->ref].acc].cur);
        break;
    case T_ORDER:
        c->ref = pick_account(m);
        gen_lines(c, m->acc[c->ref].cur);
        if (m->acc[c->ref].limit >= 0 && chance(40)) {
            /* an order that brings the exposure to the limit exactly, or a unit past it */
            int64_t room = m->acc[c->ref].limit - exposure_base(m, c->ref, -1);
            if (room > 0) {
                c->nl = 1;
                c->l[0] = (mline){1000, room + (chance(50) ? 0 : 1), 0, 0};
            }
        }
        if (chance(8))
            c->defect = (int[]){D_NO_REF, D_BAD_REF, D_BAD_QTY, D_BAD_PRICE, D_NO_LINES}[rn(5)];
        break;
    case T_INV: {
        int s = chance(80) ? pick_in(m, T_ORDER, B(S_CONFIRMED)) : -1;
        c->ref = s >= 0 ? s : pick(m, T_ORDER);
        if (chance(50)) {
            int64_t left[MAXL];
            for (int k = 0; k < m->order[c->ref].nl; k++)
                left[k] = m->order[c->ref].l[k].qty - invoiced(m, c->ref, k, -1, 0);
            gen_qty_lines(c, m->order[c->ref].nl, left);
        }
        if (chance(8))
            c->defect = (int[]){D_NO_REF, D_BAD_REF, D_BAD_LINE, D_BAD_QTY}[rn(4)];
        if ((c->defect == D_BAD_LINE || c->defect == D_BAD_QTY) && !c->has_lines) {
            int64_t left[MAXL] = {1000, 1000, 1000, 1000};
            gen_qty_lines(c, m->order[c->ref].nl, left);
        }
        break;
    }
    case T_PAY: {
        int inv = chance(75) ? pick_in(m, T_INV, INV_OPEN) : -1;
        c->ref = inv >= 0 && chance(90) ? inv_acc(m, inv) : pick_account(m);
        c->pcur = chance(8) ? (chance(50) ? CUR_USD : CUR_EUR) : -1;
        int cur = c->pcur >= 0 ? c->pcur : m->acc[c->ref].cur;
        int64_t bal = inv >= 0 ? inv_balance(m, inv) : 0;
        c->amount = bal > 0 && chance(60) ? bal : (int64_t)(rn(2000) + 1) * (curexp[cur] ? 50 : 10);
        if (inv >= 0 && chance(60)) {
            c->na = 1 + (chance(25) ? 1 : 0);
            for (int k = 0; k < c->na; k++) {
                c->ainv[k] = chance(80) ? inv : pick(m, T_INV);
                int64_t b = inv_balance(m, c->ainv[k]);
                c->aamt[k] = b > 0 && chance(70) ? (c->na > 1 ? (b + 1) / 2 : b)
                                                 : (int64_t)(rn(500) + 1) * 10;
            }
        }
        if (chance(8))
            c->defect = (int[]){D_NO_REF, D_BAD_REF, D_ZERO_AMOUNT, D_NO_AMOUNT}[rn(4)];
        break;
    }
    case T_CN: {
        int i = chance(80) ? pick_in(m, T_INV, INV_OPEN | B(I_PAID)) : -1;
        c->ref = i >= 0 ? i : pick(m, T_INV);
        int64_t left[MAXIL];
        for (int k = 0; k < m->inv[c->ref].nl; k++)
            left[k] = m->inv[c->ref].q[k];
        if (m->inv[c->ref].nl)
            gen_qty_lines(c, m->inv[c->ref].nl, left);
        else
            c->defect = D_NO_LINES;
        if (chance(8))
            c->defect = (int[]){D_NO_REF, D_BAD_REF, D_BAD_LINE, D_BAD_QTY, D_NO_LINES}[rn(5)];
        break;
    }
    }
}

static void gen_update(const model *m, cmd *c, int t, int i)
{
    c->op = OP_UPDATE;
    c->t = t;
    c->i = i;
    switch (t) {
    case T_ACC: {
        c->has_limit = 1;
        c->limit = chance(40) ? -1 : (int64_t)(rn(60) + 1) * 10000;
        /* the limit of a draft order's exposure exactly, or a unit below it */
        int s = pick_in(m, T_ORDER, B(S_DRAFT));
        if (s >= 0 && m->order[s].acc == i && chance(60))
            c->limit = exposure(m, s) - (chance(50) ? 0 : 1);
        break;
    }
    case T_LEAD:
        if (chance(15))
            c->defect = D_BAD_EMAIL;
        break;
    case T_QUOTE:
        if (chance(50)) {
            c->has_date = 1;
            c->date = chance(10) ? NODATE : m->today + rn(30) - 3;
        }
        if (chance(8))
            c->defect = chance(50) ? D_BAD_QTY : D_BAD_PRICE;
        if (chance(70) || !c->has_date || c->defect)
            gen_lines(c, m->acc[quote_acc(m, i)].cur);
        break;
    case T_ORDER:
        if (chance(80))
            gen_lines(c, m->acc[m->order[i].acc].cur);
        if (chance(8))
            c->defect = (int[]){D_BAD_QTY, D_BAD_PRICE, D_NO_LINES}[rn(3)];
        if ((c->defect == D_BAD_QTY || c->defect == D_BAD_PRICE) && !c->has_lines)
            gen_lines(c, m->acc[m->order[i].acc].cur);
        break;
    case T_INV: {
        int o = m->inv[i].order;
        if (chance(85)) {
            int64_t left[MAXL];
            for (int k = 0; k < m->order[o].nl; k++)
                left[k] = m->order[o].l[k].qty - invoiced(m, o, k, i, 0);
            gen_qty_lines(c, m->order[o].nl, left);
            if (chance(8))
                c->defect = chance(50) ? D_BAD_LINE : D_BAD_QTY;
        }
        break;
    }
    case T_CN: {
        int inv = m->cn[i].inv;
        if (chance(85)) {
            int64_t left[MAXIL];
            for (int k = 0; k < m->inv[inv].nl; k++)
                left[k] = m->inv[inv].q[k];
            gen_qty_lines(c, m->inv[inv].nl, left);
            if (chance(8))
                c->defect = (int[]){D_BAD_LINE, D_BAD_QTY, D_NO_LINES}[rn(3)];
        }
        break;
    }
    default:
        break;
    }
}

static void gen_fire(const model *m, cmd *c, int t, int i)
{
    c->op = OP_FIRE;
    c->t = t;
    c->i = i;
    c->ev = pick_event(m, t, i);
    /* time-driven events are rare otherwise: favour them when they are due */
    if (t == T_QUOTE && m->st[t][i] == Q_SENT && m->quote[i].vu != NODATE &&
        m->today > m->quote[i].vu && chance(50))
        c->ev = EQ_EXPIRE;
    if (t == T_INV && m->st[t][i] == I_ISSUED && m->today > m->inv[i].due && chance(50))
        c->ev = EI_OVERDUE;
    const evdef *d = &evdefs[t][c->ev];
    c->roles = gen_roles(d->role);
    switch (t) {
    case T_LEAD:
        if (c->ev == EL_DISQUALIFY && chance(10))
            c->defect = D_NO_REASON;
        if (c->ev == EL_CONVERT) {
            c->conv_acc = m->n[T_ACC] && (m->n[T_ACC] >= cap[T_ACC] || chance(50))
                              ? pick(m, T_ACC)
                              : -1;
            c->conv_opp = m->n[T_OPP] < cap[T_OPP] + 4 && chance(70);
            c->amount = (int64_t)rn(100000) * 100;
            if (chance(5))
                c->defect = D_BAD_REF;
        }
        break;
    case T_OPP:
        if (c->ev == EO_LOSE && chance(10))
            c->defect = D_NO_REASON;
        break;
    case T_QUOTE:
        if ((c->ev == EQ_REJECT || c->ev == EQ_DECLINE) && chance(10))
            c->defect = D_NO_REASON;
        if (c->ev == EQ_REVISE && chance(50)) {
            c->has_date = 1;
            c->date = m->today + rn(30);
        }
        break;
    case T_ORDER:
        if (c->ev == ES_FULFILL) {
            int64_t left[MAXL];
            for (int k = 0; k < m->order[i].nl; k++)
                left[k] = m->order[i].l[k].qty - m->order[i].ful[k];
            gen_qty_lines(c, m->order[i].nl, left);
            if (chance(8))
                c->defect = (int[]){D_NO_LINES, D_BAD_LINE, D_BAD_QTY}[rn(3)];
        }
        if (c->ev == ES_CLOSE && chance(10))
            c->defect = D_NO_REASON;
        break;
    case T_INV:
        if (c->ev == EI_DISPUTE && chance(12))
            c->defect = chance(50) ? D_NO_REASON : D_BAD_REASON;
        break;
    case T_PAY:
        if (c->ev == EP_ALLOCATE) {
            int inv = chance(85) ? pick_in(m, T_INV, INV_OPEN) : -1;
            c->ref = inv >= 0 ? inv : pick(m, T_INV);
            if (m->n[T_INV] == 0) {
                c->amount = 100;
                c->defect = D_NO_REF;
                break;
            }
            int64_t un = m->pay[i].amount;
            for (int k = 0; k < m->pay[i].na; k++)
                un -= m->pay[i].aa[k];
            int64_t bal = m->n[T_INV] ? inv_balance(m, c->ref) : 0;
            int64_t best = un < bal ? un : bal;
            c->amount = best > 0 && chance(70) ? (chance(60) ? best : (best + 1) / 2)
                                               : (int64_t)(rn(400) + 1) * 25;
            if (best > 0 && chance(10))
                c->amount = best + 1; /* one cent (or yen) too many */
            if (chance(8))
                c->defect = (int[]){D_NO_REF, D_BAD_REF, D_ZERO_AMOUNT, D_NO_AMOUNT}[rn(4)];
            if (m->pay[i].na >= MAXA - 2)
                c->defect = D_ZERO_AMOUNT;
        }
        break;
    default:
        break;
    }
}

static int gen(const model *m, cmd *c)
{
    memset(c, 0, sizeof *c);
    c->roles = -1;
    c->pcur = -1;
    c->conv_acc = -1;
    int r = rn(1000);
    if (r < 30) {
        c->op = OP_CLOCK;
        c->day = m->today + rn(12) - (chance(10) ? 3 : 0);
        return 0;
    }
    if (r < 45) {
        c->op = OP_SWEEP;
        return 0;
    }
    /* weights per type: creation and work on it */
    static const int weight[NT] = {6, 8, 10, 18, 16, 18, 14, 10};
    int w = 0, total = 0;
    for (int t = 0; t < NT; t++)
        total += weight[t];
    int x = rn(total), t = 0;
    for (t = 0; t < NT; t++) {
        w += weight[t];
        if (x < w)
            break;
    }
    /* what a type needs to be created */
    static const int need[NT] = {-1, -1, T_ACC, T_OPP, T_ACC, T_ORDER, T_ACC, T_INV};
    if (need[t] >= 0 && m->n[need[t]] == 0)
        t = need[t];
    if (need[t] >= 0 && m->n[need[t]] == 0)
        t = need[t];
    if (need[t] >= 0 && m->n[need[t]] == 0)
        t = T_ACC;
    int live = live_count(m, t);
    int creating = m->n[t] == 0 || (m->n[t] < cap[t] && live < 4 && chance(live < 2 ? 70 : 30)) ||
                   chance(3);
    if (m->n[t] >= MAXN - 40)
        creating = 0;
    if (creating) {
        gen_create(m, c, t);
    } else {
        int i = pick_live(m, t);
        if (chance(10))
            gen_update(m, c, t, i);
        else
            gen_fire(m, c, t, i);
        if (t == T_QUOTE && c->op == OP_FIRE && c->ev == EQ_REVISE && m->n[T_QUOTE] > MAXN - 20)
            c->ev = EQ_CANCEL;
        if (chance(3))
            c->defect = D_NO_TARGET;
        else if (chance(4)) /* the current version, or a stale one: conflict */
            c->version = m->ver[t][i] + (chance(50) ? 0 : 1 + rn(3));
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Talking to the engine                                               */

typedef struct run {
    l2c_engine *e;
    model m;
    uint64_t seed;
    long cmdno;
    char last[8192];
} run;

static cJSON *exec_json(run *r, const char *cmdtext)
{
    char *out = NULL;
    l2c_exec_json(&out, r->e, cmdtext);
    ck_assert_msg(out != NULL, "no answer to %s", cmdtext);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j != NULL, "answer is not JSON: %s", out);
    l2c_free(out);
    return j;
}

#define CHECK(r, cond, ...)                                                                     \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            char msg_[2048];                                                                   \
            snprintf(msg_, sizeof msg_, __VA_ARGS__);                                          \
            ck_abort_msg("seed %" PRIu64 ", command %ld: %s\n  command: %.1500s", (r)->seed, \
                         (r)->cmdno, msg_, (r)->last);                                         \
        }                                                                                      \
    } while (0)

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int64_t jmoney(run *r, const cJSON *o, const char *k)
{
    const char *s = jstr(o, k);
    CHECK(r, s != NULL, "field %s missing or not a string", k);
    int64_t v = 0;
    int neg = *s == '-';
    for (s += neg; *s; s++)
        if (*s != '.')
            v = v * 10 + (*s - '0');
    return neg ? -v : v;
}

static int64_t jqty(run *r, const cJSON *o, const char *k)
{
    const char *s = jstr(o, k);
    CHECK(r, s != NULL, "field %s missing", k);
    int64_t whole = 0, frac = 0;
    int digits = 0;
    while (*s && *s != '.')
        whole = whole * 10 + (*s++ - '0');
    if (*s == '.')
        for (s++; *s; s++, digits++)
            frac = frac * 10 + (*s - '0');
    while (digits++ < 3)
        frac *= 10;
    return whole * 1000 + frac;
}

static int state_index(int t, const char *s)
{
    for (int k = 0; s && k < nstates[t]; k++)
        if (strcmp(snames[t][k], s) == 0)
            return k;
    return -1;
}

static int id_index(int t, const char *id)
{
    size_t n = strlen(tprefix[t]);
    if (!id || strncmp(id, tprefix[t], n) || id[n] != '-')
        return -1;
    return atoi(id + n + 1) - 1;
}

/* every record of a type in the engine against the model: state, version, derived */
static void check_type(run *r, int t, int full)
{
    char cmdtext[96];
    snprintf(cmdtext, sizeof cmdtext, "{\"op\":\"list\",\"type\":\"%s\"}", tname[t]);
    cJSON *j = exec_json(r, cmdtext);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "entities");
    const model *m = &r->m;
    CHECK(r, cJSON_GetArraySize(arr) == m->n[t], "%s: %d records, the model has %d", tname[t],
          cJSON_GetArraySize(arr), m->n[t]);
    int i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        char id[32];
        id_of(id, sizeof id, t, i);
        CHECK(r, jstr(e, "id") && strcmp(jstr(e, "id"), id) == 0, "%s #%d is %s, expected %s",
              tname[t], i, jstr(e, "id"), id);
        int st = state_index(t, jstr(e, "state"));
        CHECK(r, st == m->st[t][i], "%s %s is %s, the model says %s", tname[t], id,
              jstr(e, "state"), snames[t][m->st[t][i]]);
        int ver = cJSON_GetObjectItemCaseSensitive(e, "version")->valueint;
        CHECK(r, ver == m->ver[t][i], "%s %s has version %d, the model says %d", tname[t], id, ver,
              m->ver[t][i]);
        if (t == T_INV) {
            int64_t total = jmoney(r, e, "total"), paid = jmoney(r, e, "paid"),
                    cred = jmoney(r, e, "credited"), wo = jmoney(r, e, "written_off"),
                    bal = jmoney(r, e, "balance");
            CHECK(r, bal >= 0, "invoice %s: balance %" PRId64 " < 0", id, bal);
            if (st == I_VOID || st == I_WRITTEN_OFF)
                CHECK(r, bal == 0, "invoice %s is %s with balance %" PRId64, id,
                      snames[t][st], bal);
            if (st != I_VOID)
                CHECK(r, bal == total - paid - cred - wo,
                      "invoice %s: balance %" PRId64 " != total %" PRId64 " - paid %" PRId64
                      " - credited %" PRId64 " - written_off %" PRId64,
                      id, bal, total, paid, cred, wo);
            int64_t a[4];
            inv_amounts(m, i, a);
            CHECK(r, total == inv_total(m, i), "invoice %s: total %" PRId64 ", model %" PRId64, id,
                  total, inv_total(m, i));
            CHECK(r, paid == a[0] && cred == a[1] && wo == a[2] && bal == a[3],
                  "invoice %s: paid/credited/written_off/balance %" PRId64 "/%" PRId64 "/%" PRId64
                  "/%" PRId64 ", model %" PRId64 "/%" PRId64 "/%" PRId64 "/%" PRId64,
                  id, paid, cred, wo, bal, a[0], a[1], a[2], a[3]);
        } else if (t == T_ORDER) {
            const cJSON *ls = cJSON_GetObjectItemCaseSensitive(e, "lines");
            CHECK(r, cJSON_GetArraySize(ls) == m->order[i].nl, "order %s: %d lines, model %d", id,
                  cJSON_GetArraySize(ls), m->order[i].nl);
            int k = 0;
            for (const cJSON *l = ls->child; l; l = l->next, k++) {
                int64_t ord = jqty(r, l, "ordered"), inv = jqty(r, l, "invoiced"),
                        ful = jqty(r, l, "fulfilled");
                CHECK(r, inv <= ord, "order %s line %d: invoiced %" PRId64 " > ordered %" PRId64,
                      id, k + 1, inv, ord);
                CHECK(r, ful <= ord, "order %s line %d: fulfilled > ordered", id, k + 1);
                CHECK(r, ord == m->order[i].l[k].qty && inv == invoiced(m, i, k, -1, 0) &&
                             ful == m->order[i].ful[k],
                      "order %s line %d: ordered/invoiced/fulfilled %" PRId64 "/%" PRId64
                      "/%" PRId64 ", model %" PRId64 "/%" PRId64 "/%" PRId64,
                      id, k + 1, ord, inv, ful, m->order[i].l[k].qty, invoiced(m, i, k, -1, 0),
                      m->order[i].ful[k]);
            }
            CHECK(r, jmoney(r, e, "total") == lines_total(m->order[i].l, m->order[i].nl),
                  "order %s: total differs from the model", id);
        } else if (t == T_PAY) {
            const cJSON *al = cJSON_GetObjectItemCaseSensitive(e, "allocations");
            int64_t amount = jmoney(r, e, "amount"), sum = 0;
            CHECK(r, cJSON_GetArraySize(al) == m->pay[i].na, "payment %s: %d allocations, model %d",
                  id, cJSON_GetArraySize(al), m->pay[i].na);
            int k = 0;
            for (const cJSON *a = al->child; a; a = a->next, k++) {
                int64_t x = jmoney(r, a, "amount");
                CHECK(r, x > 0, "payment %s: allocation of %" PRId64, id, x);
                CHECK(r, x == m->pay[i].aa[k] && id_index(T_INV, jstr(a, "invoice")) == m->pay[i].ai[k],
                      "payment %s: allocation %d differs from the model", id, k);
                sum += x;
            }
            CHECK(r, sum <= amount, "payment %s: allocations %" PRId64 " > amount %" PRId64, id, sum,
                  amount);
            CHECK(r, jmoney(r, e, "unallocated") == amount - sum, "payment %s: unallocated", id);
            CHECK(r, amount == m->pay[i].amount, "payment %s: amount", id);
        } else if (t == T_CN) {
            CHECK(r, jmoney(r, e, "total") == cn_total(m, i), "credit note %s: total", id);
            if (st == C_ISSUED)
                CHECK(r, jmoney(r, e, "applied") == m->cn[i].applied &&
                             jmoney(r, e, "excess") == m->cn[i].excess,
                      "credit note %s: applied/excess %s/%s, model %" PRId64 "/%" PRId64, id,
                      jstr(e, "applied"), jstr(e, "excess"), m->cn[i].applied, m->cn[i].excess);
            else
                CHECK(r, cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(e, "applied")),
                      "credit note %s: applied before it is issued", id);
        } else if (t == T_ACC && full) {
            CHECK(r, jmoney(r, e, "open_balance") == acc_open_balance(m, i),
                  "account %s: open_balance %s, model %" PRId64, id, jstr(e, "open_balance"),
                  acc_open_balance(m, i));
            CHECK(r, jmoney(r, e, "credit_balance") == acc_credit_balance(m, i),
                  "account %s: credit_balance %s, model %" PRId64, id, jstr(e, "credit_balance"),
                  acc_credit_balance(m, i));
        } else if (t == T_QUOTE) {
            CHECK(r, jmoney(r, e, "total") == lines_total(m->quote[i].l, m->quote[i].nl),
                  "quote %s: total %s differs from the model", id, jstr(e, "total"));
            char want[32] = "";
            if (m->quote[i].vu != NODATE)
                civil(m->quote[i].vu, want);
            const char *vu = jstr(e, "valid_until"), *sup = jstr(e, "supersedes");
            CHECK(r, (vu ? strcmp(vu, want) == 0 : !want[0]) &&
                         cJSON_GetObjectItemCaseSensitive(e, "revision")->valueint ==
                             m->quote[i].rev &&
                         (sup ? id_index(T_QUOTE, sup) == m->quote[i].sup : m->quote[i].sup < 0) &&
                         id_index(T_OPP, jstr(e, "opportunity")) == m->quote[i].opp,
                  "quote %s: valid_until/revision/supersedes/opportunity differ from the model",
                  id);
        }
        if (full && t == T_INV) {
            char want[32] = "";
            if (m->inv[i].due != NODATE)
                civil(m->inv[i].due, want);
            const char *due = jstr(e, "due_date");
            CHECK(r, (due ? strcmp(due, want) == 0 : !want[0]) &&
                         id_index(T_ORDER, jstr(e, "order")) == m->inv[i].order &&
                         id_index(T_ACC, jstr(e, "account")) == inv_acc(m, i),
                  "invoice %s: due_date %s/order/account differ from the model (due %s)", id,
                  due ? due : "null", want);
        }
        if (full && t == T_ORDER)
            CHECK(r, id_index(T_ACC, jstr(e, "account")) == m->order[i].acc &&
                         (m->order[i].quote < 0 ? jstr(e, "quote") == NULL
                                                : id_index(T_QUOTE, jstr(e, "quote")) ==
                                                      m->order[i].quote),
                  "order %s: account/quote differ from the model", id);
        if (full && t == T_PAY)
            CHECK(r, id_index(T_ACC, jstr(e, "account")) == m->pay[i].acc &&
                         strcmp(jstr(e, "currency"), curname[m->pay[i].cur]) == 0,
                  "payment %s: account/currency differ from the model", id);
        if (full && t == T_OPP)
            CHECK(r, id_index(T_ACC, jstr(e, "account")) == m->opp[i].acc,
                  "opportunity %s: account differs from the model", id);
        if (full && t == T_CN)
            CHECK(r, id_index(T_INV, jstr(e, "invoice")) == m->cn[i].inv,
                  "credit note %s: invoice differs from the model", id);
    }
    cJSON_Delete(j);
}

static char *snapshot(run *r)
{
    size_t cap_ = 1 << 16, len = 0;
    char *buf = malloc(cap_);
    ck_assert_ptr_nonnull(buf);
    buf[0] = '\0';
    for (int t = 0; t < NT; t++) {
        char cmdtext[96], *out = NULL;
        snprintf(cmdtext, sizeof cmdtext, "{\"op\":\"list\",\"type\":\"%s\"}", tname[t]);
        l2c_exec_json(&out, r->e, cmdtext);
        size_t n = strlen(out);
        while (len + n + 1 > cap_)
            buf = realloc(buf, cap_ *= 2);
        memcpy(buf + len, out, n + 1);
        len += n;
        l2c_free(out);
    }
    return buf;
}

/* the answer against the prediction */
static void check_answer(run *r, const cJSON *res, const outcome *o, uint64_t before)
{
    int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "ok"));
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(res, "error");
    char *txt = cJSON_PrintUnformatted(res);
    char got[600];
    snprintf(got, sizeof got, "%.590s", txt);
    free(txt);
    if (o->code) {
        CHECK(r, !ok, "the model expects %s %s, the engine said ok: %s", l2c_error_name(o->code),
              o->rule ? o->rule : "", got);
        CHECK(r, strcmp(jstr(err, "code"), l2c_error_name(o->code)) == 0,
              "the model expects %s %s: %s", l2c_error_name(o->code), o->rule ? o->rule : "", got);
        const char *rule = jstr(err, "rule");
        CHECK(r, (!o->rule && !rule) || (o->rule && rule && strcmp(o->rule, rule) == 0),
              "the model expects rule %s: %s", o->rule ? o->rule : "(none)", got);
        CHECK(r, l2c_events_last(r->e) == before, "a failed command added events");
        return;
    }
    CHECK(r, ok, "the model expects success: %s", got);
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(res, "events");
    if (!evs)
        return;
    CHECK(r, cJSON_GetArraySize(evs) == o->nev, "%d events, the model expects %d: %s",
          cJSON_GetArraySize(evs), o->nev, got);
    CHECK(r, l2c_events_last(r->e) == before + (uint64_t)o->nev, "event count");
    int k = 0;
    for (const cJSON *e = evs->child; e; e = e->next, k++) {
        const pev *p = &o->ev[k];
        char type[64], id[32], seq[32];
        snprintf(type, sizeof type, "l2c.%s.%s", tname[p->t], p->name);
        id_of(id, sizeof id, p->t, p->i);
        snprintf(seq, sizeof seq, "%" PRIu64, before + 1 + (uint64_t)k);
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "data");
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(d, "record");
        const char *from = jstr(d, "from");
        CHECK(r, strcmp(jstr(e, "type"), type) == 0 && strcmp(jstr(e, "subject"), id) == 0,
              "event %d is %s %s, the model expects %s %s", k, jstr(e, "type"),
              jstr(e, "subject"), type, id);
        CHECK(r, strcmp(jstr(e, "sequence"), seq) == 0, "event %d has sequence %s, not %s", k,
              jstr(e, "sequence"), seq);
        CHECK(r, p->from < 0 ? from == NULL : (from && strcmp(from, snames[p->t][p->from]) == 0),
              "event %d (%s %s) from %s, the model says %s", k, type, id, from ? from : "null",
              p->from < 0 ? "null" : snames[p->t][p->from]);
        CHECK(r, strcmp(jstr(d, "to"), snames[p->t][p->to]) == 0 &&
                     strcmp(jstr(rec, "state"), snames[p->t][p->to]) == 0,
              "event %d (%s %s) to %s, the model says %s", k, type, id, jstr(d, "to"),
              snames[p->t][p->to]);
        CHECK(r, cJSON_GetObjectItemCaseSensitive(rec, "version")->valueint == p->ver,
              "event %d (%s %s): version %d, the model says %d", k, type, id,
              cJSON_GetObjectItemCaseSensitive(rec, "version")->valueint, p->ver);
    }
}

/* the fields of each record type that are derived (not rebuilt by replay) */
static int derived_field(const char *k)
{
    static const char *const d[] = {"paid",        "credited",           "written_off",
                                    "balance",     "fulfillment_status", "billing_status",
                                    "unallocated", "open_balance",       "credit_balance"};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        if (strcmp(d[i], k) == 0)
            return 1;
    return 0;
}

/* a record's own fields: equal in both, except derived ones (order lines: invoiced) */
static int own_fields_equal(const cJSON *a, const cJSON *b, int depth)
{
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next) {
            if (strcmp(x->string, y->string) != 0)
                return 0;
            if ((depth == 0 && derived_field(x->string)) ||
                (depth == 2 && strcmp(x->string, "invoiced") == 0))
                continue;
            if (!own_fields_equal(x, y, depth + 1))
                return 0;
        }
        return !x && !y;
    }
    if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!own_fields_equal(x, y, depth + 1))
                return 0;
        return !x && !y;
    }
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return a->valuedouble == b->valuedouble;
    return (a->type & 0xff) == (b->type & 0xff);
}

/* replay the event log: gapless sequences; last record of each id == get */
static void check_replay(run *r)
{
    cJSON *j = exec_json(r, "{\"op\":\"events\"}");
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(j, "events");
    uint64_t n = (uint64_t)cJSON_GetArraySize(evs);
    CHECK(r, n == l2c_events_last(r->e), "events: %" PRIu64 " of %" PRIu64, n,
          l2c_events_last(r->e));
    const cJSON **last[NT];
    for (int t = 0; t < NT; t++) {
        last[t] = calloc(MAXN, sizeof *last[t]);
        ck_assert_ptr_nonnull(last[t]);
    }
    uint64_t seq = 0;
    for (const cJSON *e = evs->child; e; e = e->next) {
        char want[32];
        snprintf(want, sizeof want, "%" PRIu64, ++seq);
        CHECK(r, strcmp(jstr(e, "sequence"), want) == 0 && strcmp(jstr(e, "id"), want) == 0,
              "replay: event %" PRIu64 " has sequence %s", seq, jstr(e, "sequence"));
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(e, "data"), "record");
        int t = 0;
        while (t < NT && strcmp(tname[t], jstr(rec, "type")))
            t++;
        CHECK(r, t < NT, "replay: record type %s", jstr(rec, "type"));
        int i = id_index(t, jstr(rec, "id"));
        CHECK(r, i >= 0 && i < r->m.n[t], "replay: unknown id %s", jstr(rec, "id"));
        last[t][i] = rec;
    }
    for (int t = 0; t < NT; t++) {
        for (int i = 0; i < r->m.n[t]; i++) {
            char cmdtext[128], id[32];
            id_of(id, sizeof id, t, i);
            CHECK(r, last[t][i] != NULL, "replay: %s %s has no event", tname[t], id);
            snprintf(cmdtext, sizeof cmdtext, "{\"op\":\"get\",\"type\":\"%s\",\"id\":\"%s\"}",
                     tname[t], id);
            cJSON *g = exec_json(r, cmdtext);
            const cJSON *ent = cJSON_GetObjectItemCaseSensitive(g, "entity");
            if (!own_fields_equal(last[t][i], ent, 0)) {
                char *a = cJSON_PrintUnformatted(last[t][i]), *b = cJSON_PrintUnformatted(ent);
                CHECK(r, 0, "replay: %s %s\n  last event: %.900s\n  get:        %.900s", tname[t],
                      id, a, b);
            }
            cJSON_Delete(g);
        }
        free(last[t]);
    }
    cJSON_Delete(j);
}

static long env_long(const char *name, long dflt)
{
    const char *s = getenv(name);
    return s && *s ? strtol(s, NULL, 10) : dflt;
}

#define EPISODE 1000

START_TEST(random_commands_agree_with_the_model)
{
    uint64_t seed = (uint64_t)strtoull(getenv("L2C_SEED") ? getenv("L2C_SEED") : "20261123",
                                       NULL, 10);
    long total = env_long("L2C_PROPERTY_N", getenv("L2C_LONG") && strcmp(getenv("L2C_LONG"), "1") == 0
                                                ? 200000
                                                : 10000);
    printf("check_property: seed %" PRIu64 " (L2C_SEED), %ld commands\n", seed, total);
    fflush(stdout);
    rng_state = seed ? seed : 1;
    static run r_; /* the model is large: not on the stack */
    run *r = &r_;
    r->seed = seed;
    long done = 0, failed = 0;
    int verbose = getenv("L2C_PROPERTY_VERBOSE") != NULL, nstat = 0;
    static char stat_key[64][128];
    static long stat_n[64];
    int ev_used[NT][16] = {{0}};
    while (done < total) {
        memset(&r->m, 0, sizeof r->m);
        ck_assert_int_eq(l2c_engine_new(&r->e, NULL), 0);
        r->m.today = days_from_civil(2026, 1, 1) + rn(365);
        char date[32];
        civil(r->m.today, date);
        snprintf(r->last, sizeof r->last, "{\"op\":\"clock\",\"now\":\"%sT08:00:00Z\"}", date);
        cJSON_Delete(exec_json(r, r->last));
        for (int k = 0; k < EPISODE && done < total; k++, done++) {
            cmd c;
            gen(&r->m, &c);
            sbuf b;
            render(&r->m, &c, &b);
            memcpy(r->last, b.s, b.n + 1);
            r->cmdno = done;
            static model next;
            next = r->m;
            outcome o;
            step(&next, &c, &o);
            uint64_t before = l2c_events_last(r->e);
            char *snap = o.code && done % 7 == 0 ? snapshot(r) : NULL;
            cJSON *res = exec_json(r, b.s);
            check_answer(r, res, &o, before);
            cJSON_Delete(res);
            if (snap) {
                char *after = snapshot(r);
                CHECK(r, strcmp(snap, after) == 0, "a failed command changed records");
                free(after);
                free(snap);
            }
            if (o.code) {
                failed++;
                if (verbose) {
                    char key[128];
                    snprintf(key, sizeof key, "%s %s", l2c_error_name(o.code), o.rule ? o.rule : "");
                    int k2 = 0;
                    while (k2 < nstat && strcmp(stat_key[k2], key))
                        k2++;
                    if (k2 == nstat && nstat < 64)
                        snprintf(stat_key[nstat++], sizeof stat_key[0], "%s", key);
                    if (k2 < 64)
                        stat_n[k2]++;
                }
            }
            else
                r->m = next;
            if (c.op == OP_FIRE && !o.code)
                ev_used[c.t][c.ev]++;
            check_type(r, T_INV, 0);
            check_type(r, T_ORDER, 0);
            check_type(r, T_PAY, 0);
            if (k % 50 == 49)
                for (int t = 0; t < NT; t++)
                    check_type(r, t, 1);
        }
        for (int t = 0; t < NT; t++)
            check_type(r, t, 1);
        check_replay(r);
        l2c_engine_free(r->e);
        r->e = NULL;
    }
    printf("check_property: %ld commands, %ld refused as the model predicted\n", done, failed);
    for (int k = 0; verbose && k < nstat; k++)
        printf("  refused %6ld  %s\n", stat_n[k], stat_key[k]);
    for (int t = 0; verbose && t < NT; t++)
        for (int e = 0; e < nevdefs[t]; e++)
            printf("  fired   %6d  %s %s\n", ev_used[t][e], tname[t], evdefs[t][e].name);
    /* the stream reached every event that a client may fire */
    for (int t = 0; t < NT && total >= 10000; t++)
        for (int e = 0; e < nevdefs[t]; e++)
            if (!evdefs[t][e].cascade && !(t == T_OPP && e == EO_WIN)) /* win: by accept only */
                ck_assert_msg(ev_used[t][e] > 0, "seed %" PRIu64 ": %s %s never succeeded", seed,
                              tname[t], evdefs[t][e].name);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("property");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 3600);
    tcase_add_test(tc, random_commands_agree_with_the_model);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
