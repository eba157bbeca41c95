/* Civil dates and RFC 3339 times (see core/num.h).
 * Pure functions: no allocation, no I/O, no mutable state. */
#include "core/num.h"

#include <stdint.h>

#define SECS_PER_DAY 86400

/* Bounds of what the parsers accept and the formatters can write in their
 * fixed width: 0001-01-01 and 9999-12-31. */
#define MIN_DAY (-719162) /* 0001-01-01 */
#define MAX_DAY 2932896   /* 9999-12-31 */

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms":
 * eras of 400 years (146097 days) starting on March 1st. */
int32_t l2c__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;                                              /* [0, 399] */
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1; /* [0, 365] */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                      /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

void l2c__civil_from_days(int32_t days, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                       /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;                               /* [1, 12] */

    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)mm;
    *y = yoe + era * 400 + (mm <= 2);
}

static int is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29u : len[m - 1];
}

/* Exactly `n` ASCII digits at s; -1 otherwise. */
static int digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10u + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 0;
}

/* "YYYY-MM-DD" at s (the 10 characters only; what follows is the caller's). */
static int date_prefix(int32_t *out, const char *s)
{
    unsigned y, m, d;

    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *out = l2c__days_from_civil(y, m, d);
    return 0;
}

int l2c__date_parse(int32_t *out, const char *s)
{
    int32_t days;

    if (out == NULL || s == NULL || date_prefix(&days, s) || s[10] != '\0')
        return -1;
    *out = days;
    return 0;
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10u);
    p[1] = (char)('0' + v % 10u);
}

static void put_date(char *buf, int32_t days)
{
    int64_t y;
    unsigned m, d, yy;

    l2c__civil_from_days(days, &y, &m, &d);
    yy = (unsigned)y; /* 1..9999: callers clamp */
    put2(buf, yy / 100u);
    put2(buf + 2, yy % 100u);
    buf[4] = '-';
    put2(buf + 5, m);
    buf[7] = '-';
    put2(buf + 8, d);
}

void l2c__date_format(char *buf, int32_t days)
{
    if (days < MIN_DAY)
        days = MIN_DAY;
    if (days > MAX_DAY)
        days = MAX_DAY;
    put_date(buf, days);
    buf[10] = '\0';
}

int l2c__time_parse(int64_t *out, const char *s)
{
    int32_t days;
    unsigned hh, mi, ss, oh, om;
    int64_t t, offset = 0;
    const char *p;

    if (out == NULL || s == NULL || date_prefix(&days, s))
        return -1;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return -1;
    p = s + 11;
    if (digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mi) || p[5] != ':' ||
        digits(p + 6, 2, &ss))
        return -1;
    if (hh > 23 || mi > 59 || ss > 60)
        return -1;
    if (ss == 60)
        ss = 59; /* leap second: Unix time has no room for it */
    p += 8;

    if (*p == '.') { /* fraction: at least one digit, then dropped */
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }

    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
            return -1;
        if (oh > 23 || om > 59)
            return -1;
        offset = (int64_t)(oh * 3600u + om * 60u);
        if (*p == '-')
            offset = -offset;
        p += 6;
    } else {
        return -1; /* the zone is mandatory */
    }
    if (*p != '\0')
        return -1;

    t = (int64_t)days * SECS_PER_DAY + (int64_t)(hh * 3600u + mi * 60u + ss);
    *out = t - offset; /* local time minus its offset is UTC */
    return 0;
}

void l2c__time_format(char *buf, int64_t t)
{
    const int64_t lo = (int64_t)MIN_DAY * SECS_PER_DAY;
    const int64_t hi = ((int64_t)MAX_DAY + 1) * SECS_PER_DAY - 1;
    int32_t days;
    unsigned sod;

    if (t < lo)
        t = lo;
    if (t > hi)
        t = hi;
    days = l2c__time_day(t);
    sod = (unsigned)(t - (int64_t)days * SECS_PER_DAY); /* [0, 86399] */
    put_date(buf, days);
    buf[10] = 'T';
    put2(buf + 11, sod / 3600u);
    buf[13] = ':';
    put2(buf + 14, sod / 60u % 60u);
    buf[16] = ':';
    put2(buf + 17, sod % 60u);
    buf[19] = 'Z';
    buf[20] = '\0';
}

int32_t l2c__time_day(int64_t t)
{
    int64_t q = t / SECS_PER_DAY;

    if (t % SECS_PER_DAY < 0)
        q--; /* floor, not truncation: -1 s is 1969-12-31 */
    /* Past ±5.8 million years; INT32_MIN is kept for L2C__NO_DATE. */
    if (q < (int64_t)INT32_MIN + 1)
        q = (int64_t)INT32_MIN + 1;
    if (q > (int64_t)INT32_MAX)
        q = INT32_MAX;
    return (int32_t)q;
}
