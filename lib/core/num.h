/* Internal: exact decimals, ISO 4217 currencies, line arithmetic, dates.
 * No knowledge of records. Every function is pure and allocation-free. */
#ifndef L2C_CORE_NUM_H
#define L2C_CORE_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Results of the decimal parsers. */
#define L2C__DEC_OK 0
#define L2C__DEC_SYNTAX (-1)    /* not a plain decimal: "", "1e5", " 1", "+1", "1.", ".5", "1,5" */
#define L2C__DEC_PRECISION (-2) /* more significant decimals than the scale allows */
#define L2C__DEC_RANGE (-3)     /* does not fit int64 once scaled */

/* Scales used by the model. */
#define L2C__QTY_SCALE 3 /* quantities: up to 3 decimals, stored in thousandths */
#define L2C__PCT_SCALE 2 /* percentages: up to 2 decimals, stored in hundredths */

/* Parse a decimal string into an integer scaled by 10^scale (0..18).
 * Grammar: optional '-', one or more digits, optionally '.' and one or more
 * digits. Leading zeros are allowed ("007"). Extra decimals beyond `scale`
 * are accepted only when they are zeros ("1.500" at scale 2 is 150).
 * Returns L2C__DEC_OK and sets *out, or one of the errors above (*out untouched).
 * Errors are checked in that order: syntax first (whole string), then
 * precision, then range. A NULL string is a syntax error; a scale outside
 * 0..18 gives L2C__DEC_RANGE. "-0" is 0. */
int l2c__dec_parse(int64_t *out, const char *s, int scale);

/* Scale a whole number (e.g. a JSON integer) by 10^scale; L2C__DEC_RANGE on overflow
 * (or a scale outside 0..18), *out untouched. */
int l2c__dec_from_int(int64_t *out, int64_t whole, int scale);

/* Format `v` scaled by 10^scale with exactly `scale` decimals ("58.42",
 * "-0.05", "1200" when scale is 0). Returns the length written (excluding
 * NUL). `buf` must hold at least 24 bytes (the longest output is 21
 * characters, "-9.223372036854775808"). A scale outside 0..18 is clamped. */
size_t l2c__dec_format_fixed(char *buf, int64_t v, int scale);

/* Format in shortest form: trailing zeros and a bare point dropped
 * ("2", "1.5", "0.125", "-3"). `buf` must hold at least 24 bytes. */
size_t l2c__dec_format_short(char *buf, int64_t v, int scale);

/* ISO 4217: index of an active currency code (exactly three upper-case
 * letters that name an active code), or -1 (unknown, lower case, wrong length).
 * The table is ISO 4217 List One without the codes whose minor unit is "N.A."
 * (XXX, XTS, XAU, XDR, ...): those return -1 too. An index is only stable
 * within one build of the library: store the code, never the index. */
int l2c__currency_find(const char *code);
/* Code of a currency index ("EUR"); NULL for an invalid index. */
const char *l2c__currency_code(int idx);
/* Minor-unit exponent (JPY 0, EUR 2, KWD 3); -1 for an invalid index. */
int l2c__currency_exp(int idx);

/* 128-bit integers (a GCC/Clang extension) for exact intermediates. */
__extension__ typedef __int128 l2c__i128;

/* Round n / d half away from zero, d > 0 (128-bit; no overflow for any n). */
l2c__i128 l2c__div_round(l2c__i128 n, l2c__i128 d);

/* Amounts of one line in minor units:
 *   net = round(qty × unit_price × (100 − discount_pct) / 100)
 *   tax = round(net × tax_rate_pct / 100)
 * qty in thousandths, unit_price in minor units, percentages in hundredths.
 * Rounding half away from zero; intermediates exact. Returns 0, or -1 when
 * net, tax or net + tax passes the int64 range (amount.overflow); on -1
 * *net and *tax are untouched. tax is computed on the rounded net. A 100 %
 * discount gives 0 whatever qty × unit_price is. Out-of-range percentages
 * (negative, over 100 %) are not rejected here: they are computed exactly. */
int l2c__line_amounts(int64_t *net, int64_t *tax, int64_t qty_milli,
                      int64_t unit_price, int64_t discount_centi,
                      int64_t tax_rate_centi);

/* Checked add: 0, or -1 on int64 overflow (*out untouched). */
int l2c__add64(int64_t *out, int64_t a, int64_t b);

/* Dates are days since 1970-01-01 (may be negative); times are Unix seconds UTC. */
#define L2C__NO_DATE INT32_MIN

/* Days since the epoch of a proleptic Gregorian civil date (no validation). */
int32_t l2c__days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of l2c__days_from_civil. */
void l2c__civil_from_days(int32_t days, int64_t *y, unsigned *m, unsigned *d);

/* Strict "YYYY-MM-DD" (4-digit year 0001..9999, real calendar day, nothing
 * after it). Returns 0 or -1. */
int l2c__date_parse(int32_t *out, const char *s);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). Days outside
 * 0001-01-01..9999-12-31 are clamped to that range (so L2C__NO_DATE would
 * print "0001-01-01": test for it before formatting). */
void l2c__date_format(char *buf, int32_t days);

/* RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS" (the 'T' may be 't' or a space),
 * optional fraction ".ddd…" (dropped), then 'Z'/'z' or "+hh:mm"/"-hh:mm"
 * (converted to UTC). Seconds 00..60 (60 is read as 59). Returns 0 or -1
 * (*out untouched). The date part is as strict as l2c__date_parse; hours
 * 00..23, minutes 00..59; a fraction needs at least one digit; offsets are
 * -23:59..+23:59 ("-00:00" is read as UTC). */
int l2c__time_parse(int64_t *out, const char *s);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" and a NUL into buf (at least 21 bytes).
 * Times outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z are clamped. */
void l2c__time_format(char *buf, int64_t t);
/* UTC day of a Unix time (floor division: -1 is day -1). Saturates to
 * INT32_MIN + 1..INT32_MAX, so it never returns L2C__NO_DATE. */
int32_t l2c__time_day(int64_t t);

#endif
