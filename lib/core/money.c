/* Exact decimals, ISO 4217 currencies and line arithmetic (see core/num.h).
 * Pure functions: no allocation, no I/O, no mutable state. */
#include "core/num.h"

#include <stdint.h>
#include <string.h>

__extension__ typedef __int128 i128;

/* ---------------------------------------------------------------- decimals */

#define DEC_MAX_SCALE 18

static const uint64_t pow10_u64[DEC_MAX_SCALE + 1] = {
    1u,
    10u,
    100u,
    1000u,
    10000u,
    100000u,
    1000000u,
    10000000u,
    100000000u,
    1000000000u,
    10000000000u,
    100000000000u,
    1000000000000u,
    10000000000000u,
    100000000000000u,
    1000000000000000u,
    10000000000000000u,
    100000000000000000u,
    1000000000000000000u,
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* mag = mag * 10 + digit, failing when the result passes `limit`. */
static int accumulate(uint64_t *mag, unsigned digit, uint64_t limit)
{
    uint64_t v;
    if (__builtin_mul_overflow(*mag, (uint64_t)10, &v) ||
        __builtin_add_overflow(v, (uint64_t)digit, &v) || v > limit)
        return -1;
    *mag = v;
    return 0;
}

int l2c__dec_parse(int64_t *out, const char *s, int scale)
{
    const char *p, *int_begin, *int_end, *frac_begin = NULL, *frac_end = NULL;
    int neg = 0;
    uint64_t limit, mag = 0;
    ptrdiff_t nfrac, i;

    if (out == NULL || s == NULL)
        return L2C__DEC_SYNTAX;

    /* 1. Syntax: -?[0-9]+(\.[0-9]+)? and nothing else. */
    p = s;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    int_begin = p;
    while (is_digit(*p))
        p++;
    int_end = p;
    if (int_end == int_begin)
        return L2C__DEC_SYNTAX;
    if (*p == '.') {
        p++;
        frac_begin = p;
        while (is_digit(*p))
            p++;
        frac_end = p;
        if (frac_end == frac_begin)
            return L2C__DEC_SYNTAX;
    }
    if (*p != '\0')
        return L2C__DEC_SYNTAX;

    /* An impossible scale cannot hold any value. */
    if (scale < 0 || scale > DEC_MAX_SCALE)
        return L2C__DEC_RANGE;

    /* 2. Precision: decimals past `scale` must all be zeros. */
    nfrac = frac_begin ? frac_end - frac_begin : 0;
    for (i = scale; i < nfrac; i++)
        if (frac_begin[i] != '0')
            return L2C__DEC_PRECISION;

    /* 3. Range: the scaled magnitude must fit int64 (one more when negative). */
    limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (p = int_begin; p < int_end; p++)
        if (accumulate(&mag, (unsigned)(*p - '0'), limit))
            return L2C__DEC_RANGE;
    for (i = 0; i < scale; i++) {
        unsigned digit = i < nfrac ? (unsigned)(frac_begin[i] - '0') : 0u;
        if (accumulate(&mag, digit, limit))
            return L2C__DEC_RANGE;
    }

    if (neg)
        *out = mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag;
    else
        *out = (int64_t)mag;
    return L2C__DEC_OK;
}

int l2c__dec_from_int(int64_t *out, int64_t whole, int scale)
{
    int64_t v;
    if (out == NULL || scale < 0 || scale > DEC_MAX_SCALE)
        return L2C__DEC_RANGE;
    if (__builtin_mul_overflow(whole, (int64_t)pow10_u64[scale], &v))
        return L2C__DEC_RANGE;
    *out = v;
    return L2C__DEC_OK;
}

size_t l2c__dec_format_fixed(char *buf, int64_t v, int scale)
{
    char tmp[24];
    size_t n = 0, len = 0;
    uint64_t mag = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;

    if (scale < 0)
        scale = 0;
    if (scale > DEC_MAX_SCALE)
        scale = DEC_MAX_SCALE;

    /* Digits least significant first; at least scale + 1 of them so that
     * there is always an integer digit ("0.05"). */
    do {
        tmp[n++] = (char)('0' + (int)(mag % 10u));
        mag /= 10u;
    } while (mag != 0u || n < (size_t)scale + 1u);

    if (v < 0)
        buf[len++] = '-';
    while (n > 0) {
        if (n == (size_t)scale && scale > 0)
            buf[len++] = '.';
        buf[len++] = tmp[--n];
    }
    buf[len] = '\0';
    return len;
}

size_t l2c__dec_format_short(char *buf, int64_t v, int scale)
{
    size_t len = l2c__dec_format_fixed(buf, v, scale);
    if (memchr(buf, '.', len) != NULL) {
        while (buf[len - 1] == '0')
            len--;
        if (buf[len - 1] == '.')
            len--;
        buf[len] = '\0';
    }
    return len;
}

/* -------------------------------------------------------------- currencies */

/* ISO 4217 List One (published 2024-06-25), every code with a numeric minor
 * unit, plus XCG (Caribbean guilder, in force from 2025-03-31). Codes whose
 * minor unit is "N.A." (precious metals XAU XAG XPD XPT, bond units
 * XBA..XBD, XDR, XSU, XUA, the testing code XTS and "no currency" XXX) are
 * left out: they cannot carry an amount in minor units. Withdrawn codes
 * (HRK, SLL, ZWL, ...) are absent; ANG and BGN, listed then but being
 * replaced (by XCG, by EUR), stay so that existing documents still load. Sorted by code for binary search; an
 * index is only meaningful within one build of the library. */
static const struct currency {
    char code[4];
    unsigned char exp;
} currencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2},
    {"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2},
    {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
    {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2},
    {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2},
    {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0},
    {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2},
    {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2},
    {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2},
    {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
    {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2},
    {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2},
    {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2},
    {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2},
    {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2},
    {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2},
    {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
    {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
    {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2},
    {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2},
    {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2},
    {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0},
    {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0},
    {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0},
    {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

#define CURRENCY_COUNT ((int)(sizeof currencies / sizeof currencies[0]))

int l2c__currency_find(const char *code)
{
    int lo = 0, hi = CURRENCY_COUNT - 1;

    if (code == NULL)
        return -1;
    for (int i = 0; i < 3; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            return -1;
    if (code[3] != '\0')
        return -1;

    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = memcmp(code, currencies[mid].code, 3);
        if (c == 0)
            return mid;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -1;
}

const char *l2c__currency_code(int idx)
{
    if (idx < 0 || idx >= CURRENCY_COUNT)
        return NULL;
    return currencies[idx].code;
}

int l2c__currency_exp(int idx)
{
    if (idx < 0 || idx >= CURRENCY_COUNT)
        return -1;
    return (int)currencies[idx].exp;
}

/* -------------------------------------------------------- line arithmetic */

i128 l2c__div_round(i128 n, i128 d)
{
    i128 q = n / d;
    i128 r = n % d; /* same sign as n, |r| < d */
    i128 ar = r < 0 ? -r : r;

    /* |r| >= d - |r| is 2|r| >= d without the overflow of doubling. */
    if (ar != 0 && ar >= d - ar)
        q += n < 0 ? -1 : 1;
    return q;
}

static int fits_int64(i128 v)
{
    return v >= (i128)INT64_MIN && v <= (i128)INT64_MAX;
}

int l2c__line_amounts(int64_t *net, int64_t *tax, int64_t qty_milli,
                      int64_t unit_price, int64_t discount_centi,
                      int64_t tax_rate_centi)
{
    /* net = qty_milli/10^3 * unit_price * (10^4 - discount_centi)/10^4,
     * i.e. one exact product divided once by 10^7. */
    const i128 net_div = (i128)10000000;
    const i128 tax_div = (i128)10000;
    i128 keep = (i128)10000 - (i128)discount_centi;
    i128 gross = (i128)qty_milli * (i128)unit_price; /* < 2^126 */
    i128 prod, n, t, sum;

    if (keep == 0) {
        n = 0; /* a 100% discount is zero whatever qty × price would be */
    } else {
        if (__builtin_mul_overflow(gross, keep, &prod))
            return -1; /* |net| > 2^127 / 10^7, far past int64 */
        n = l2c__div_round(prod, net_div);
        if (!fits_int64(n))
            return -1;
    }
    t = l2c__div_round(n * (i128)tax_rate_centi, tax_div); /* < 2^126 */
    if (!fits_int64(t))
        return -1;
    sum = n + t;
    if (!fits_int64(sum))
        return -1;
    *net = (int64_t)n;
    *tax = (int64_t)t;
    return 0;
}

int l2c__add64(int64_t *out, int64_t a, int64_t b)
{
    int64_t v;
    if (__builtin_add_overflow(a, b, &v))
        return -1;
    *out = v;
    return 0;
}
