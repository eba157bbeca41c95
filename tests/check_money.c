/* Unit tests of lib/core/money.c: decimal parsing and formatting, the
 * ISO 4217 table, rounding and line amounts. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define I128_MAX ((i128)(((u128)1 << 127) - 1u))
#define I128_MIN (-I128_MAX - 1)

/* Parse and expect success. */
static int64_t parse_ok(const char *s, int scale)
{
    int64_t v = 0x5a5a5a5a;
    int rc = l2c__dec_parse(&v, s, scale);
    ck_assert_msg(rc == L2C__DEC_OK, "\"%s\" at scale %d: rc %d", s, scale, rc);
    return v;
}

/* Parse and expect the error `want`, with the output left untouched. */
static void parse_fails(const char *s, int scale, int want)
{
    int64_t v = 0x5a5a5a5a;
    int rc = l2c__dec_parse(&v, s, scale);
    ck_assert_msg(rc == want, "\"%s\" at scale %d: rc %d, want %d", s, scale, rc, want);
    ck_assert_int_eq(v, 0x5a5a5a5a);
}

/* Format into a sentinel-filled buffer; check length, NUL and the 24-byte bound. */
static const char *fixed(char buf[32], int64_t v, int scale)
{
    size_t n;
    memset(buf, '#', 32);
    n = l2c__dec_format_fixed(buf, v, scale);
    ck_assert_uint_lt(n, 24);
    ck_assert_uint_eq(strlen(buf), n);
    for (size_t i = 24; i < 32; i++)
        ck_assert_int_eq(buf[i], '#');
    return buf;
}

static const char *shortest(char buf[32], int64_t v, int scale)
{
    size_t n;
    memset(buf, '#', 32);
    n = l2c__dec_format_short(buf, v, scale);
    ck_assert_uint_lt(n, 24);
    ck_assert_uint_eq(strlen(buf), n);
    for (size_t i = 24; i < 32; i++)
        ck_assert_int_eq(buf[i], '#');
    return buf;
}

/* ------------------------------------------------------------ dec_parse */

START_TEST(test_parse_accepts_whole_numbers)
{
    ck_assert_int_eq(parse_ok("0", 0), 0);
    ck_assert_int_eq(parse_ok("42", 0), 42);
    ck_assert_int_eq(parse_ok("42", 2), 4200);
    ck_assert_int_eq(parse_ok("-3", 2), -300);
    ck_assert_int_eq(parse_ok("1200", 0), 1200);
}
END_TEST

START_TEST(test_parse_accepts_decimals)
{
    ck_assert_int_eq(parse_ok("58.42", 2), 5842);
    ck_assert_int_eq(parse_ok("1234.50", 2), 123450);
    ck_assert_int_eq(parse_ok("-0.05", 2), -5);
    ck_assert_int_eq(parse_ok("1.5", 3), 1500);
    ck_assert_int_eq(parse_ok("0.125", 3), 125);
    ck_assert_int_eq(parse_ok("21", L2C__PCT_SCALE), 2100);
    ck_assert_int_eq(parse_ok("2", L2C__QTY_SCALE), 2000);
}
END_TEST

START_TEST(test_parse_accepts_leading_zeros)
{
    ck_assert_int_eq(parse_ok("007", 0), 7);
    ck_assert_int_eq(parse_ok("007.50", 2), 750);
    ck_assert_int_eq(parse_ok("-00.10", 2), -10);
    ck_assert_int_eq(parse_ok("000000000000000000000000000000000000000001", 2), 100);
}
END_TEST

START_TEST(test_parse_accepts_trailing_zero_decimals_past_scale)
{
    ck_assert_int_eq(parse_ok("1.500", 2), 150);
    ck_assert_int_eq(parse_ok("2.000000", 0), 2);
    ck_assert_int_eq(parse_ok("-0.050", 2), -5);
    ck_assert_int_eq(parse_ok("3.10000000000000000000000000000000", 2), 310);
}
END_TEST

START_TEST(test_parse_negative_zero_is_zero)
{
    ck_assert_int_eq(parse_ok("-0", 2), 0);
    ck_assert_int_eq(parse_ok("-0.00", 2), 0);
    ck_assert_int_eq(parse_ok("-0.000", 2), 0);
}
END_TEST

START_TEST(test_parse_rejects_empty_and_null)
{
    int64_t v = 7;
    parse_fails("", 2, L2C__DEC_SYNTAX);
    ck_assert_int_eq(l2c__dec_parse(&v, NULL, 2), L2C__DEC_SYNTAX);
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(l2c__dec_parse(NULL, "1", 2), L2C__DEC_SYNTAX);
}
END_TEST

START_TEST(test_parse_rejects_exponent)
{
    parse_fails("1e5", 2, L2C__DEC_SYNTAX);
    parse_fails("1E5", 2, L2C__DEC_SYNTAX);
    parse_fails("1.0e2", 2, L2C__DEC_SYNTAX);
    parse_fails("1e-2", 2, L2C__DEC_SYNTAX);
}
END_TEST

START_TEST(test_parse_rejects_whitespace)
{
    parse_fails(" 1", 2, L2C__DEC_SYNTAX);
    parse_fails("1 ", 2, L2C__DEC_SYNTAX);
    parse_fails("1\n", 2, L2C__DEC_SYNTAX);
    parse_fails("- 1", 2, L2C__DEC_SYNTAX);
    parse_fails("1 000", 2, L2C__DEC_SYNTAX);
}
END_TEST

START_TEST(test_parse_rejects_plus_sign)
{
    parse_fails("+1", 2, L2C__DEC_SYNTAX);
    parse_fails("+0.5", 2, L2C__DEC_SYNTAX);
}
END_TEST

START_TEST(test_parse_rejects_bare_point)
{
    parse_fails("1.", 2, L2C__DEC_SYNTAX);
    parse_fails(".5", 2, L2C__DEC_SYNTAX);
    parse_fails(".", 2, L2C__DEC_SYNTAX);
    parse_fails("-.5", 2, L2C__DEC_SYNTAX);
    parse_fails("-1.", 2, L2C__DEC_SYNTAX);
}
END_TEST

START_TEST(test_parse_rejects_comma_and_separators)
{
    parse_fails("1,5", 2, L2C__DEC_SYNTAX);
    parse_fails("1,000.00", 2, L2C__DEC_SYNTAX);
    parse_fails("1_000", 2, L2C__DEC_SYNTAX);
    parse_fails("1'000", 2, L2C__DEC_SYNTAX);
}
END_TEST

START_TEST(test_parse_rejects_malformed_signs_and_points)
{
    parse_fails("-", 2, L2C__DEC_SYNTAX);
    parse_fails("--1", 2, L2C__DEC_SYNTAX);
    parse_fails("1-", 2, L2C__DEC_SYNTAX);
    parse_fails("1.2.3", 2, L2C__DEC_SYNTAX);
    parse_fails("1..2", 2, L2C__DEC_SYNTAX);
}
END_TEST

START_TEST(test_parse_rejects_non_decimal_notations)
{
    parse_fails("0x10", 2, L2C__DEC_SYNTAX);
    parse_fails("inf", 2, L2C__DEC_SYNTAX);
    parse_fails("NaN", 2, L2C__DEC_SYNTAX);
    parse_fails("1.5\xc2\xa0", 2, L2C__DEC_SYNTAX);
    parse_fails("\xd9\xa1", 0, L2C__DEC_SYNTAX); /* ARABIC-INDIC DIGIT ONE */
}
END_TEST

START_TEST(test_parse_rejects_excess_precision)
{
    parse_fails("1.234", 2, L2C__DEC_PRECISION);
    parse_fails("1.001", 2, L2C__DEC_PRECISION);
    parse_fails("0.5", 0, L2C__DEC_PRECISION);
    parse_fails("1.2300001", 2, L2C__DEC_PRECISION);
    parse_fails("-0.001", 2, L2C__DEC_PRECISION);
    parse_fails("0.0001", L2C__QTY_SCALE, L2C__DEC_PRECISION);
    parse_fails("12.345", L2C__PCT_SCALE, L2C__DEC_PRECISION);
}
END_TEST

START_TEST(test_parse_reports_syntax_before_precision_before_range)
{
    parse_fails("1.234x", 2, L2C__DEC_SYNTAX);
    parse_fails("99999999999999999999.5x", 2, L2C__DEC_SYNTAX);
    parse_fails("99999999999999999999.123", 2, L2C__DEC_PRECISION);
}
END_TEST

START_TEST(test_parse_accepts_int64_edges)
{
    ck_assert_int_eq(parse_ok("9223372036854775807", 0), INT64_MAX);
    ck_assert_int_eq(parse_ok("-9223372036854775808", 0), INT64_MIN);
    ck_assert_int_eq(parse_ok("92233720368547758.07", 2), INT64_MAX);
    ck_assert_int_eq(parse_ok("-92233720368547758.08", 2), INT64_MIN);
    ck_assert_int_eq(parse_ok("9.223372036854775807", 18), INT64_MAX);
    ck_assert_int_eq(parse_ok("-9.223372036854775808", 18), INT64_MIN);
    ck_assert_int_eq(parse_ok("0.000000000000000001", 18), 1);
}
END_TEST

START_TEST(test_parse_rejects_values_past_int64)
{
    parse_fails("9223372036854775808", 0, L2C__DEC_RANGE);
    parse_fails("-9223372036854775809", 0, L2C__DEC_RANGE);
    parse_fails("92233720368547758.08", 2, L2C__DEC_RANGE);
    parse_fails("-92233720368547758.09", 2, L2C__DEC_RANGE);
    parse_fails("92233720368547758.07", 3, L2C__DEC_RANGE);
    parse_fails("10", 18, L2C__DEC_RANGE);
    parse_fails("18446744073709551616", 0, L2C__DEC_RANGE); /* 2^64 wraps uint64 */
    parse_fails("99999999999999999999999999999999999999999999999999", 0, L2C__DEC_RANGE);
}
END_TEST

START_TEST(test_parse_rejects_scale_outside_0_to_18)
{
    parse_fails("1", 19, L2C__DEC_RANGE);
    parse_fails("1", -1, L2C__DEC_RANGE);
    parse_fails("x", 19, L2C__DEC_SYNTAX);
}
END_TEST

/* --------------------------------------------------------- dec_from_int */

START_TEST(test_from_int_scales_whole_numbers)
{
    int64_t v = 0;
    ck_assert_int_eq(l2c__dec_from_int(&v, 5, 2), L2C__DEC_OK);
    ck_assert_int_eq(v, 500);
    ck_assert_int_eq(l2c__dec_from_int(&v, -7, 3), L2C__DEC_OK);
    ck_assert_int_eq(v, -7000);
    ck_assert_int_eq(l2c__dec_from_int(&v, 1200, 0), L2C__DEC_OK);
    ck_assert_int_eq(v, 1200);
    ck_assert_int_eq(l2c__dec_from_int(&v, 0, 18), L2C__DEC_OK);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(l2c__dec_from_int(&v, INT64_MAX, 0), L2C__DEC_OK);
    ck_assert_int_eq(v, INT64_MAX);
    ck_assert_int_eq(l2c__dec_from_int(&v, 92233720368547758, 2), L2C__DEC_OK);
    ck_assert_int_eq(v, INT64_C(9223372036854775800));
    ck_assert_int_eq(l2c__dec_from_int(&v, -92233720368547758, 2), L2C__DEC_OK);
    ck_assert_int_eq(v, -INT64_C(9223372036854775800));
}
END_TEST

START_TEST(test_from_int_reports_overflow)
{
    int64_t v = 99;
    ck_assert_int_eq(l2c__dec_from_int(&v, 92233720368547759, 2), L2C__DEC_RANGE);
    ck_assert_int_eq(l2c__dec_from_int(&v, -92233720368547759, 2), L2C__DEC_RANGE);
    ck_assert_int_eq(l2c__dec_from_int(&v, INT64_MIN, 1), L2C__DEC_RANGE);
    ck_assert_int_eq(l2c__dec_from_int(&v, 10, 18), L2C__DEC_RANGE);
    ck_assert_int_eq(l2c__dec_from_int(&v, 1, 19), L2C__DEC_RANGE);
    ck_assert_int_eq(l2c__dec_from_int(&v, 1, -1), L2C__DEC_RANGE);
    ck_assert_int_eq(v, 99);
}
END_TEST

/* ------------------------------------------------------------ formatting */

START_TEST(test_format_fixed_writes_exact_decimals)
{
    char b[32];
    ck_assert_str_eq(fixed(b, 5842, 2), "58.42");
    ck_assert_str_eq(fixed(b, 123450, 2), "1234.50");
    ck_assert_str_eq(fixed(b, 150, 3), "0.150");
    ck_assert_str_eq(fixed(b, 7, 2), "0.07");
    ck_assert_str_eq(fixed(b, 100, 2), "1.00");
}
END_TEST

START_TEST(test_format_fixed_writes_zero_with_all_decimals)
{
    char b[32];
    ck_assert_str_eq(fixed(b, 0, 2), "0.00");
    ck_assert_str_eq(fixed(b, 0, 0), "0");
    ck_assert_str_eq(fixed(b, 0, 3), "0.000");
}
END_TEST

START_TEST(test_format_fixed_writes_negative_values)
{
    char b[32];
    ck_assert_str_eq(fixed(b, -5, 2), "-0.05");
    ck_assert_str_eq(fixed(b, -5842, 2), "-58.42");
    ck_assert_str_eq(fixed(b, -1200, 0), "-1200");
    ck_assert_str_eq(fixed(b, -100, 2), "-1.00");
}
END_TEST

START_TEST(test_format_fixed_scale_zero_has_no_point)
{
    char b[32];
    ck_assert_str_eq(fixed(b, 1200, 0), "1200"); /* JPY */
    ck_assert_str_eq(fixed(b, 1, 0), "1");
}
END_TEST

START_TEST(test_format_fixed_handles_int64_edges)
{
    char b[32];
    ck_assert_str_eq(fixed(b, INT64_MAX, 2), "92233720368547758.07");
    ck_assert_str_eq(fixed(b, INT64_MIN, 2), "-92233720368547758.08");
    ck_assert_str_eq(fixed(b, INT64_MIN, 0), "-9223372036854775808");
    ck_assert_str_eq(fixed(b, INT64_MAX, 18), "9.223372036854775807");
    ck_assert_str_eq(fixed(b, INT64_MIN, 18), "-9.223372036854775808");
    ck_assert_str_eq(fixed(b, 1, 18), "0.000000000000000001");
    ck_assert_str_eq(fixed(b, -1, 18), "-0.000000000000000001");
}
END_TEST

START_TEST(test_format_short_drops_trailing_zeros_and_point)
{
    char b[32];
    ck_assert_str_eq(shortest(b, 200, 2), "2");
    ck_assert_str_eq(shortest(b, 150, 2), "1.5");
    ck_assert_str_eq(shortest(b, 125, 3), "0.125");
    ck_assert_str_eq(shortest(b, -300, 2), "-3");
    ck_assert_str_eq(shortest(b, 1050, 2), "10.5");
    ck_assert_str_eq(shortest(b, 2000, 3), "2");
    ck_assert_str_eq(shortest(b, -5, 2), "-0.05");
}
END_TEST

START_TEST(test_format_short_keeps_zeros_of_the_whole_part)
{
    char b[32];
    ck_assert_str_eq(shortest(b, 0, 2), "0");
    ck_assert_str_eq(shortest(b, 0, 0), "0");
    ck_assert_str_eq(shortest(b, 100, 0), "100");
    ck_assert_str_eq(shortest(b, 10000, 2), "100");
    ck_assert_str_eq(shortest(b, INT64_MIN, 18), "-9.223372036854775808");
}
END_TEST

START_TEST(test_format_then_parse_round_trips)
{
    static const int64_t vals[] = {0, 1, -1, 5, -5, 99, 100, 101, 123456789,
                                   -987654321, INT64_MAX, INT64_MIN};
    char b[32];
    for (int scale = 0; scale <= 18; scale++) {
        for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            ck_assert_int_eq(parse_ok(fixed(b, vals[i], scale), scale), vals[i]);
            ck_assert_int_eq(parse_ok(shortest(b, vals[i], scale), scale), vals[i]);
        }
    }
}
END_TEST

/* ------------------------------------------------------------ currencies */

static int exp_of(const char *code)
{
    int idx = l2c__currency_find(code);
    ck_assert_msg(idx >= 0, "%s not found", code);
    ck_assert_str_eq(l2c__currency_code(idx), code);
    return l2c__currency_exp(idx);
}

START_TEST(test_currency_minor_units_match_iso_4217)
{
    ck_assert_int_eq(exp_of("EUR"), 2);
    ck_assert_int_eq(exp_of("USD"), 2);
    ck_assert_int_eq(exp_of("GBP"), 2);
    ck_assert_int_eq(exp_of("CHF"), 2);
    ck_assert_int_eq(exp_of("JPY"), 0);
    ck_assert_int_eq(exp_of("KRW"), 0);
    ck_assert_int_eq(exp_of("ISK"), 0);
    ck_assert_int_eq(exp_of("XAF"), 0);
    ck_assert_int_eq(exp_of("KWD"), 3);
    ck_assert_int_eq(exp_of("BHD"), 3);
    ck_assert_int_eq(exp_of("OMR"), 3);
    ck_assert_int_eq(exp_of("TND"), 3);
    ck_assert_int_eq(exp_of("CLF"), 4);
    ck_assert_int_eq(exp_of("UYW"), 4);
}
END_TEST

START_TEST(test_currency_first_and_last_codes_are_found)
{
    ck_assert_int_eq(l2c__currency_find("AED"), 0);
    ck_assert_int_eq(exp_of("ZWG"), 2);
    ck_assert_int_eq(exp_of("XCG"), 2);
}
END_TEST

START_TEST(test_currency_rejects_lower_and_mixed_case)
{
    ck_assert_int_eq(l2c__currency_find("eur"), -1);
    ck_assert_int_eq(l2c__currency_find("Eur"), -1);
    ck_assert_int_eq(l2c__currency_find("EUr"), -1);
}
END_TEST

START_TEST(test_currency_rejects_wrong_length)
{
    ck_assert_int_eq(l2c__currency_find("EURO"), -1);
    ck_assert_int_eq(l2c__currency_find("EU"), -1);
    ck_assert_int_eq(l2c__currency_find(""), -1);
    ck_assert_int_eq(l2c__currency_find("EUR "), -1);
    ck_assert_int_eq(l2c__currency_find(" EUR"), -1);
    ck_assert_int_eq(l2c__currency_find(NULL), -1);
}
END_TEST

START_TEST(test_currency_rejects_non_letters)
{
    ck_assert_int_eq(l2c__currency_find("E1R"), -1);
    ck_assert_int_eq(l2c__currency_find("978"), -1);
    ck_assert_int_eq(l2c__currency_find("\xc3\x89UR"), -1);
}
END_TEST

START_TEST(test_currency_rejects_codes_without_minor_unit)
{
    /* XXX (no currency), XTS (testing), metals and units of account have
     * "N.A." minor units in ISO 4217: no amount can be kept in them. */
    ck_assert_int_eq(l2c__currency_find("XXX"), -1);
    ck_assert_int_eq(l2c__currency_find("XTS"), -1);
    ck_assert_int_eq(l2c__currency_find("XAU"), -1);
    ck_assert_int_eq(l2c__currency_find("XDR"), -1);
}
END_TEST

START_TEST(test_currency_rejects_withdrawn_and_unknown_codes)
{
    ck_assert_int_eq(l2c__currency_find("DEM"), -1);
    ck_assert_int_eq(l2c__currency_find("HRK"), -1);
    ck_assert_int_eq(l2c__currency_find("ZWL"), -1);
    ck_assert_int_eq(l2c__currency_find("SLL"), -1);
    ck_assert_int_eq(l2c__currency_find("AAA"), -1);
    ck_assert_int_eq(l2c__currency_find("ZZZ"), -1);
}
END_TEST

START_TEST(test_currency_invalid_index_gives_null_and_minus_one)
{
    int n = 0;
    while (l2c__currency_code(n) != NULL)
        n++;
    ck_assert_ptr_null(l2c__currency_code(-1));
    ck_assert_ptr_null(l2c__currency_code(n));
    ck_assert_ptr_null(l2c__currency_code(1000000));
    ck_assert_int_eq(l2c__currency_exp(-1), -1);
    ck_assert_int_eq(l2c__currency_exp(n), -1);
}
END_TEST

START_TEST(test_currency_table_is_sorted_and_self_consistent)
{
    int n = 0;
    const char *prev = NULL;
    for (const char *c; (c = l2c__currency_code(n)) != NULL; n++) {
        int e = l2c__currency_exp(n);
        ck_assert_uint_eq(strlen(c), 3);
        for (int i = 0; i < 3; i++)
            ck_assert(c[i] >= 'A' && c[i] <= 'Z');
        if (prev != NULL)
            ck_assert_msg(strcmp(prev, c) < 0, "%s before %s", prev, c);
        ck_assert_int_eq(l2c__currency_find(c), n);
        ck_assert_msg(e == 0 || e == 2 || e == 3 || e == 4, "%s exp %d", c, e);
        prev = c;
    }
    ck_assert_int_ge(n, 150);
    ck_assert_int_le(n, 200);
}
END_TEST

/* ------------------------------------------------------------ div_round */

START_TEST(test_div_round_is_exact_when_divisible)
{
    ck_assert(l2c__div_round(10, 5) == 2);
    ck_assert(l2c__div_round(-10, 5) == -2);
    ck_assert(l2c__div_round(0, 7) == 0);
    ck_assert(l2c__div_round(42, 1) == 42);
}
END_TEST

START_TEST(test_div_round_half_goes_away_from_zero)
{
    ck_assert(l2c__div_round(5, 2) == 3);
    ck_assert(l2c__div_round(-5, 2) == -3);
    ck_assert(l2c__div_round(7, 2) == 4);
    ck_assert(l2c__div_round(-7, 2) == -4);
    ck_assert(l2c__div_round(1, 2) == 1);
    ck_assert(l2c__div_round(-1, 2) == -1);
    ck_assert(l2c__div_round(15, 10) == 2);
    ck_assert(l2c__div_round(25, 10) == 3); /* not banker's rounding */
}
END_TEST

START_TEST(test_div_round_below_and_above_half)
{
    ck_assert(l2c__div_round(4, 3) == 1);
    ck_assert(l2c__div_round(5, 3) == 2);
    ck_assert(l2c__div_round(-4, 3) == -1);
    ck_assert(l2c__div_round(-5, 3) == -2);
    ck_assert(l2c__div_round(1, 3) == 0);
    ck_assert(l2c__div_round(-1, 3) == 0);
    ck_assert(l2c__div_round(149, 100) == 1);
    ck_assert(l2c__div_round(-149, 100) == -1);
}
END_TEST

START_TEST(test_div_round_handles_int128_extremes)
{
    ck_assert(l2c__div_round(I128_MAX, 1) == I128_MAX);
    ck_assert(l2c__div_round(I128_MIN, 1) == I128_MIN);
    ck_assert(l2c__div_round(I128_MAX, I128_MAX) == 1);
    ck_assert(l2c__div_round(I128_MIN + 1, I128_MAX) == -1);
    ck_assert(l2c__div_round(I128_MIN, I128_MAX) == -1);
    /* (2^126 - 1) / (2^127 - 1) is just under one half, 2^126 / (2^127 - 1) just over */
    ck_assert(l2c__div_round(I128_MAX / 2, I128_MAX) == 0);
    ck_assert(l2c__div_round(I128_MAX / 2 + 1, I128_MAX) == 1);
    ck_assert(l2c__div_round(-(I128_MAX / 2 + 1), I128_MAX) == -1);
}
END_TEST

/* ---------------------------------------------------------- line amounts */

static void line_ok(int64_t qty, int64_t price, int64_t disc, int64_t rate,
                    int64_t want_net, int64_t want_tax)
{
    int64_t net = -7, tax = -7;
    int rc = l2c__line_amounts(&net, &tax, qty, price, disc, rate);
    ck_assert_msg(rc == 0, "qty %lld price %lld disc %lld rate %lld: rc %d",
                  (long long)qty, (long long)price, (long long)disc, (long long)rate, rc);
    ck_assert_int_eq(net, want_net);
    ck_assert_int_eq(tax, want_tax);
}

static void line_overflows(int64_t qty, int64_t price, int64_t disc, int64_t rate)
{
    int64_t net = -7, tax = -7;
    ck_assert_int_eq(l2c__line_amounts(&net, &tax, qty, price, disc, rate), -1);
    ck_assert_int_eq(net, -7);
    ck_assert_int_eq(tax, -7);
}

START_TEST(test_line_worked_example_with_discount)
{
    /* 2 × 4800.00, 25 % off, 21 % tax: 7200.00 net, 1512.00 tax */
    line_ok(2000, 480000, 2500, 2100, 720000, 151200);
}
END_TEST

START_TEST(test_line_worked_example_without_discount)
{
    /* 1 × 950.00, 21 % tax: 950.00 net, 199.50 tax */
    line_ok(1000, 95000, 0, 2100, 95000, 19950);
}
END_TEST

START_TEST(test_line_fractional_quantity)
{
    line_ok(1500, 1999, 0, 0, 2999, 0);    /* 1.5 × 19.99 = 29.985 → 29.99 */
    line_ok(1, 100000, 0, 0, 100, 0);      /* 0.001 × 1000.00 = 1.00 */
    line_ok(1, 1, 0, 0, 0, 0);             /* 0.001 × 0.01 → 0.00 */
    line_ok(3000, 3333, 3333, 2100, 6666, 1400);
}
END_TEST

START_TEST(test_line_net_half_minor_unit_rounds_away_from_zero)
{
    line_ok(500, 1, 0, 0, 1, 0);      /* 0.005 → 0.01 */
    line_ok(1000, 1, 5000, 0, 1, 0);  /* 50 % of 0.01 → 0.01 */
    line_ok(1500, 1, 0, 0, 2, 0);     /* 0.015 → 0.02 */
    line_ok(2500, 1, 0, 0, 3, 0);     /* 0.025 → 0.03, not to even */
    line_ok(1499, 1, 0, 0, 1, 0);     /* 0.01499 → 0.01 */
    line_ok(-500, 1, 0, 0, -1, 0);    /* credit: -0.005 → -0.01 */
    line_ok(1000, -3, 5000, 0, -2, 0); /* -0.015 → -0.02 */
}
END_TEST

START_TEST(test_line_tax_half_minor_unit_rounds_away_from_zero)
{
    line_ok(1000, 5, 0, 1000, 5, 1);       /* 10 % of 0.05 = 0.005 → 0.01 */
    line_ok(1000, 50, 0, 2100, 50, 11);    /* 21 % of 0.50 = 0.105 → 0.11 */
    line_ok(1000, 15, 0, 2100, 15, 3);     /* 0.0315 → 0.03 */
    line_ok(-1000, 50, 0, 2100, -50, -11); /* credit note */
}
END_TEST

START_TEST(test_line_tax_is_computed_on_the_rounded_net)
{
    /* net 5.025 → 5.03; tax 50 % of 5.03 = 2.515 → 2.52 (2.51 from the unrounded net) */
    line_ok(1000, 1005, 5000, 5000, 503, 252);
}
END_TEST

START_TEST(test_line_zero_decimal_currency)
{
    /* JPY: 3 × ¥1,200, 10 % tax */
    line_ok(3000, 1200, 0, 1000, 3600, 360);
    line_ok(1000, 1205, 0, 1000, 1205, 121); /* ¥120.5 → ¥121 */
}
END_TEST

START_TEST(test_line_zero_quantity_or_price_is_zero)
{
    line_ok(0, 480000, 2500, 2100, 0, 0);
    line_ok(2000, 0, 0, 2100, 0, 0);
    line_ok(0, INT64_MAX, 0, 2100, 0, 0);
}
END_TEST

START_TEST(test_line_full_discount_is_zero_even_for_huge_amounts)
{
    line_ok(2000, 480000, 10000, 2100, 0, 0);
    line_ok(INT64_MAX, INT64_MAX, 10000, 2100, 0, 0);
    line_ok(INT64_MIN, INT64_MAX, 10000, INT64_MAX, 0, 0);
}
END_TEST

START_TEST(test_line_accepts_int64_edge_results)
{
    line_ok(1000, INT64_MAX, 0, 0, INT64_MAX, 0);
    line_ok(1000, INT64_MIN, 0, 0, INT64_MIN, 0);
    line_ok(-1000, INT64_MAX, 0, 0, -INT64_MAX, 0);
    /* net + tax exactly INT64_MAX, then one minor unit more */
    line_ok(1000, INT64_C(9222449791875588248), 0, 1, INT64_C(9222449791875588248),
            INT64_C(922244979187559));
    line_overflows(1000, INT64_C(9222449791875588249), 0, 1);
}
END_TEST

START_TEST(test_line_overflow_of_int128_product_is_reported)
{
    line_overflows(INT64_MAX, INT64_MAX, 0, 0);
    line_overflows(INT64_MIN, INT64_MAX, 0, 0);
    line_overflows(INT64_MAX, INT64_MAX, INT64_MIN, 0); /* surcharge of 2^63 % */
}
END_TEST

START_TEST(test_line_net_past_int64_is_reported)
{
    line_overflows(INT64_C(10000000000000), INT64_C(10000000000), 0, 0); /* 10^20 */
    line_overflows(2000, INT64_MAX, 0, 0);
    line_overflows(1000, INT64_MIN, -1, 0); /* 100.01 % of INT64_MIN */
    line_overflows(INT64_MAX, INT64_MAX, 9999, 0); /* 0.01 % of 2^126 / 1000 */
}
END_TEST

START_TEST(test_line_tax_past_int64_is_reported)
{
    line_overflows(1000, INT64_MAX / 2, 0, 30000); /* tax 300 % */
    line_overflows(1000, INT64_MAX, 0, INT64_MAX);
}
END_TEST

START_TEST(test_line_net_plus_tax_past_int64_is_reported)
{
    line_overflows(1000, INT64_MAX, 0, 1);
    line_overflows(1000, INT64_MAX, 0, 2100);
    line_overflows(1000, INT64_MIN, 0, 1);
}
END_TEST

/* ---------------------------------------------------------------- add64 */

START_TEST(test_add64_adds)
{
    int64_t v = 0;
    ck_assert_int_eq(l2c__add64(&v, 720000, 151200), 0);
    ck_assert_int_eq(v, 871200);
    ck_assert_int_eq(l2c__add64(&v, INT64_MAX, INT64_MIN), 0);
    ck_assert_int_eq(v, -1);
    ck_assert_int_eq(l2c__add64(&v, INT64_MAX - 1, 1), 0);
    ck_assert_int_eq(v, INT64_MAX);
}
END_TEST

START_TEST(test_add64_reports_overflow_and_keeps_output)
{
    int64_t v = 5;
    ck_assert_int_eq(l2c__add64(&v, INT64_MAX, 1), -1);
    ck_assert_int_eq(l2c__add64(&v, INT64_MIN, -1), -1);
    ck_assert_int_eq(l2c__add64(&v, INT64_MIN, INT64_MIN), -1);
    ck_assert_int_eq(v, 5);
}
END_TEST

static Suite *money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc;

    tc = tcase_create("dec_parse");
    tcase_add_test(tc, test_parse_accepts_whole_numbers);
    tcase_add_test(tc, test_parse_accepts_decimals);
    tcase_add_test(tc, test_parse_accepts_leading_zeros);
    tcase_add_test(tc, test_parse_accepts_trailing_zero_decimals_past_scale);
    tcase_add_test(tc, test_parse_negative_zero_is_zero);
    tcase_add_test(tc, test_parse_rejects_empty_and_null);
    tcase_add_test(tc, test_parse_rejects_exponent);
    tcase_add_test(tc, test_parse_rejects_whitespace);
    tcase_add_test(tc, test_parse_rejects_plus_sign);
    tcase_add_test(tc, test_parse_rejects_bare_point);
    tcase_add_test(tc, test_parse_rejects_comma_and_separators);
    tcase_add_test(tc, test_parse_rejects_malformed_signs_and_points);
    tcase_add_test(tc, test_parse_rejects_non_decimal_notations);
    tcase_add_test(tc, test_parse_rejects_excess_precision);
    tcase_add_test(tc, test_parse_reports_syntax_before_precision_before_range);
    tcase_add_test(tc, test_parse_accepts_int64_edges);
    tcase_add_test(tc, test_parse_rejects_values_past_int64);
    tcase_add_test(tc, test_parse_rejects_scale_outside_0_to_18);
    suite_add_tcase(s, tc);

    tc = tcase_create("dec_from_int");
    tcase_add_test(tc, test_from_int_scales_whole_numbers);
    tcase_add_test(tc, test_from_int_reports_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("format");
    tcase_add_test(tc, test_format_fixed_writes_exact_decimals);
    tcase_add_test(tc, test_format_fixed_writes_zero_with_all_decimals);
    tcase_add_test(tc, test_format_fixed_writes_negative_values);
    tcase_add_test(tc, test_format_fixed_scale_zero_has_no_point);
    tcase_add_test(tc, test_format_fixed_handles_int64_edges);
    tcase_add_test(tc, test_format_short_drops_trailing_zeros_and_point);
    tcase_add_test(tc, test_format_short_keeps_zeros_of_the_whole_part);
    tcase_add_test(tc, test_format_then_parse_round_trips);
    suite_add_tcase(s, tc);

    tc = tcase_create("currency");
    tcase_add_test(tc, test_currency_minor_units_match_iso_4217);
    tcase_add_test(tc, test_currency_first_and_last_codes_are_found);
    tcase_add_test(tc, test_currency_rejects_lower_and_mixed_case);
    tcase_add_test(tc, test_currency_rejects_wrong_length);
    tcase_add_test(tc, test_currency_rejects_non_letters);
    tcase_add_test(tc, test_currency_rejects_codes_without_minor_unit);
    tcase_add_test(tc, test_currency_rejects_withdrawn_and_unknown_codes);
    tcase_add_test(tc, test_currency_invalid_index_gives_null_and_minus_one);
    tcase_add_test(tc, test_currency_table_is_sorted_and_self_consistent);
    suite_add_tcase(s, tc);

    tc = tcase_create("div_round");
    tcase_add_test(tc, test_div_round_is_exact_when_divisible);
    tcase_add_test(tc, test_div_round_half_goes_away_from_zero);
    tcase_add_test(tc, test_div_round_below_and_above_half);
    tcase_add_test(tc, test_div_round_handles_int128_extremes);
    suite_add_tcase(s, tc);

    tc = tcase_create("line_amounts");
    tcase_add_test(tc, test_line_worked_example_with_discount);
    tcase_add_test(tc, test_line_worked_example_without_discount);
    tcase_add_test(tc, test_line_fractional_quantity);
    tcase_add_test(tc, test_line_net_half_minor_unit_rounds_away_from_zero);
    tcase_add_test(tc, test_line_tax_half_minor_unit_rounds_away_from_zero);
    tcase_add_test(tc, test_line_tax_is_computed_on_the_rounded_net);
    tcase_add_test(tc, test_line_zero_decimal_currency);
    tcase_add_test(tc, test_line_zero_quantity_or_price_is_zero);
    tcase_add_test(tc, test_line_full_discount_is_zero_even_for_huge_amounts);
    tcase_add_test(tc, test_line_accepts_int64_edge_results);
    tcase_add_test(tc, test_line_overflow_of_int128_product_is_reported);
    tcase_add_test(tc, test_line_net_past_int64_is_reported);
    tcase_add_test(tc, test_line_tax_past_int64_is_reported);
    tcase_add_test(tc, test_line_net_plus_tax_past_int64_is_reported);
    suite_add_tcase(s, tc);

    tc = tcase_create("add64");
    tcase_add_test(tc, test_add64_adds);
    tcase_add_test(tc, test_add64_reports_overflow_and_keeps_output);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(money_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
