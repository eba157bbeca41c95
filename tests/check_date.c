/* Unit tests of lib/core/date.c: civil-day arithmetic, strict dates and
 * RFC 3339 times. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

/* Reference values computed independently (Python's datetime). */
#define DAY_0001_01_01 (-719162)
#define DAY_9999_12_31 2932896
#define T_0001_01_01 INT64_C(-62135596800)
#define T_9999_12_31_END INT64_C(253402300799)
#define T_2026_04_01_0830 INT64_C(1775032200)

static int32_t date_ok(const char *s)
{
    int32_t d = 12345;
    int rc = l2c__date_parse(&d, s);
    ck_assert_msg(rc == 0, "\"%s\" rejected", s);
    return d;
}

static void date_bad(const char *s)
{
    int32_t d = 12345;
    ck_assert_msg(l2c__date_parse(&d, s) == -1, "\"%s\" accepted", s);
    ck_assert_int_eq(d, 12345);
}

static int64_t time_ok(const char *s)
{
    int64_t t = 12345;
    int rc = l2c__time_parse(&t, s);
    ck_assert_msg(rc == 0, "\"%s\" rejected", s);
    return t;
}

static void time_bad(const char *s)
{
    int64_t t = 12345;
    ck_assert_msg(l2c__time_parse(&t, s) == -1, "\"%s\" accepted", s);
    ck_assert_int_eq(t, 12345);
}

static const char *fmt_date(char buf[16], int32_t days)
{
    memset(buf, '#', 16);
    l2c__date_format(buf, days);
    ck_assert_uint_eq(strlen(buf), 10);
    for (int i = 11; i < 16; i++)
        ck_assert_int_eq(buf[i], '#');
    return buf;
}

static const char *fmt_time(char buf[32], int64_t t)
{
    memset(buf, '#', 32);
    l2c__time_format(buf, t);
    ck_assert_uint_eq(strlen(buf), 20);
    for (int i = 21; i < 32; i++)
        ck_assert_int_eq(buf[i], '#');
    return buf;
}

/* ------------------------------------------------------ civil arithmetic */

START_TEST(test_days_from_civil_known_dates)
{
    ck_assert_int_eq(l2c__days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(l2c__days_from_civil(1969, 12, 31), -1);
    ck_assert_int_eq(l2c__days_from_civil(2000, 2, 29), 11016);
    ck_assert_int_eq(l2c__days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(l2c__days_from_civil(2024, 2, 29), 19782);
    ck_assert_int_eq(l2c__days_from_civil(2026, 4, 1), 20544);
    ck_assert_int_eq(l2c__days_from_civil(1600, 3, 1), -135080);
    ck_assert_int_eq(l2c__days_from_civil(1582, 10, 15), -141427);
    ck_assert_int_eq(l2c__days_from_civil(1, 1, 1), DAY_0001_01_01);
    ck_assert_int_eq(l2c__days_from_civil(9999, 12, 31), DAY_9999_12_31);
}
END_TEST

START_TEST(test_days_from_civil_handles_negative_years)
{
    /* Proleptic Gregorian: year 0 is a leap year, 0000-12-31 precedes 0001-01-01 */
    ck_assert_int_eq(l2c__days_from_civil(0, 12, 31), DAY_0001_01_01 - 1);
    ck_assert_int_eq(l2c__days_from_civil(0, 3, 1) - l2c__days_from_civil(0, 2, 28), 2);
    ck_assert_int_eq(l2c__days_from_civil(-1, 1, 1), DAY_0001_01_01 - 366 - 365);
}
END_TEST

START_TEST(test_civil_from_days_known_dates)
{
    int64_t y;
    unsigned m, d;
    l2c__civil_from_days(0, &y, &m, &d);
    ck_assert(y == 1970 && m == 1 && d == 1);
    l2c__civil_from_days(-1, &y, &m, &d);
    ck_assert(y == 1969 && m == 12 && d == 31);
    l2c__civil_from_days(19782, &y, &m, &d);
    ck_assert(y == 2024 && m == 2 && d == 29);
    l2c__civil_from_days(DAY_0001_01_01, &y, &m, &d);
    ck_assert(y == 1 && m == 1 && d == 1);
    l2c__civil_from_days(DAY_9999_12_31, &y, &m, &d);
    ck_assert(y == 9999 && m == 12 && d == 31);
}
END_TEST

START_TEST(test_civil_round_trips_day_by_day)
{
    int64_t py, y;
    unsigned pm, pd, m, d;
    int32_t first_bad = 0;
    long bad = 0;

    /* From -0001-12-31 to past 10000-01-01, each day follows the previous
     * one. Plain ifs in the loop: a ck_assert per day would be slow. */
    l2c__civil_from_days(DAY_0001_01_01 - 367, &py, &pm, &pd);
    ck_assert(py == -1 && pm == 12 && pd == 31);
    for (int32_t z = DAY_0001_01_01 - 366; z <= DAY_9999_12_31 + 400; z++) {
        int ok;
        l2c__civil_from_days(z, &y, &m, &d);
        if (d == pd + 1)
            ok = y == py && m == pm;
        else if (m == pm + 1)
            ok = d == 1 && y == py;
        else
            ok = d == 1 && m == 1 && pm == 12 && y == py + 1;
        ok = ok && l2c__days_from_civil(y, m, d) == z;
        if (!ok && bad++ == 0)
            first_bad = z;
        py = y;
        pm = m;
        pd = d;
    }
    ck_assert_msg(bad == 0, "%ld bad days, first %ld", bad, (long)first_bad);
}
END_TEST

START_TEST(test_civil_round_trips_at_int32_extremes)
{
    static const int32_t zs[] = {INT32_MIN, INT32_MIN + 1, -1000000000, 1000000000,
                                 INT32_MAX - 1, INT32_MAX};
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++) {
        int64_t y;
        unsigned m, d;
        l2c__civil_from_days(zs[i], &y, &m, &d);
        ck_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
        ck_assert_int_eq(l2c__days_from_civil(y, m, d), zs[i]);
    }
}
END_TEST

/* ----------------------------------------------------------- date_parse */

START_TEST(test_date_parse_accepts_iso_dates)
{
    ck_assert_int_eq(date_ok("1970-01-01"), 0);
    ck_assert_int_eq(date_ok("1969-12-31"), -1);
    ck_assert_int_eq(date_ok("2026-04-01"), 20544);
    ck_assert_int_eq(date_ok("2026-04-30"), 20573);
    ck_assert_int_eq(date_ok("2026-12-31"), 20818);
}
END_TEST

START_TEST(test_date_parse_accepts_leap_days)
{
    ck_assert_int_eq(date_ok("2024-02-29"), 19782);
    ck_assert_int_eq(date_ok("2000-02-29"), 11016);
    ck_assert_int_eq(date_ok("1600-02-29"), -135081);
}
END_TEST

START_TEST(test_date_parse_rejects_feb_29_of_common_years)
{
    date_bad("2023-02-29");
    date_bad("1900-02-29"); /* divisible by 100, not by 400 */
    date_bad("2100-02-29");
    date_bad("2024-02-30");
}
END_TEST

START_TEST(test_date_parse_accepts_year_bounds)
{
    ck_assert_int_eq(date_ok("0001-01-01"), DAY_0001_01_01);
    ck_assert_int_eq(date_ok("9999-12-31"), DAY_9999_12_31);
}
END_TEST

START_TEST(test_date_parse_rejects_year_zero_and_five_digit_years)
{
    date_bad("0000-01-01");
    date_bad("0000-12-31");
    date_bad("10000-01-01");
    date_bad("-0001-01-01");
    date_bad("+2026-04-01");
}
END_TEST

START_TEST(test_date_parse_rejects_unpadded_fields)
{
    date_bad("2026-4-01");
    date_bad("2026-04-1");
    date_bad("26-04-01");
    date_bad("202-04-01");
}
END_TEST

START_TEST(test_date_parse_rejects_impossible_days_and_months)
{
    date_bad("2026-13-01");
    date_bad("2026-00-10");
    date_bad("2026-04-00");
    date_bad("2026-04-31");
    date_bad("2026-06-31");
    date_bad("2026-01-32");
    date_bad("2026-99-99");
}
END_TEST

START_TEST(test_date_parse_rejects_trailing_garbage)
{
    date_bad("2026-04-01x");
    date_bad("2026-04-01 ");
    date_bad("2026-04-01\n");
    date_bad("2026-04-01T00:00:00Z");
    date_bad("2026-04-010");
}
END_TEST

START_TEST(test_date_parse_rejects_other_shapes)
{
    int32_t d = 5;
    date_bad("");
    date_bad(" 2026-04-01");
    date_bad("2026/04/01");
    date_bad("20260401");
    date_bad("2026-04-0a");
    date_bad("2026-O4-01");
    date_bad("2026-04");
    date_bad("2026-04-");
    ck_assert_int_eq(l2c__date_parse(&d, NULL), -1);
    ck_assert_int_eq(d, 5);
}
END_TEST

/* ---------------------------------------------------------- date_format */

START_TEST(test_date_format_writes_iso_dates)
{
    char b[16];
    ck_assert_str_eq(fmt_date(b, 0), "1970-01-01");
    ck_assert_str_eq(fmt_date(b, -1), "1969-12-31");
    ck_assert_str_eq(fmt_date(b, 19782), "2024-02-29");
    ck_assert_str_eq(fmt_date(b, 20544), "2026-04-01");
    ck_assert_str_eq(fmt_date(b, DAY_0001_01_01), "0001-01-01");
    ck_assert_str_eq(fmt_date(b, DAY_9999_12_31), "9999-12-31");
    ck_assert_str_eq(fmt_date(b, -135080 + 365), "1601-03-01");
}
END_TEST

START_TEST(test_date_format_clamps_to_years_1_to_9999)
{
    char b[16];
    ck_assert_str_eq(fmt_date(b, DAY_0001_01_01 - 1), "0001-01-01");
    ck_assert_str_eq(fmt_date(b, L2C__NO_DATE), "0001-01-01");
    ck_assert_str_eq(fmt_date(b, DAY_9999_12_31 + 1), "9999-12-31");
    ck_assert_str_eq(fmt_date(b, INT32_MAX), "9999-12-31");
}
END_TEST

START_TEST(test_date_format_then_parse_round_trips)
{
    char b[16];
    long bad = 0;
    for (int32_t z = DAY_0001_01_01; z <= DAY_9999_12_31; z++) {
        int32_t back = 0;
        l2c__date_format(b, z);
        if (l2c__date_parse(&back, b) != 0 || back != z)
            bad++;
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

/* ----------------------------------------------------------- time_parse */

START_TEST(test_time_parse_accepts_utc_z)
{
    ck_assert_int_eq(time_ok("1970-01-01T00:00:00Z"), 0);
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00Z"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2024-02-29T12:34:56Z"), INT64_C(1709210096));
}
END_TEST

START_TEST(test_time_parse_accepts_lower_case_z_and_t_and_space)
{
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00z"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2026-04-01t08:30:00Z"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2026-04-01 08:30:00Z"), T_2026_04_01_0830);
}
END_TEST

START_TEST(test_time_parse_converts_offsets_to_utc)
{
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00+02:00"), INT64_C(1775025000)); /* 06:30Z */
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00-05:30"), INT64_C(1775052000)); /* 14:00Z */
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00+00:00"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00-00:00"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00+23:59"), T_2026_04_01_0830 - 86340);
}
END_TEST

START_TEST(test_time_parse_offset_can_cross_midnight_and_year)
{
    ck_assert_int_eq(time_ok("2026-01-01T01:00:00+02:00"), INT64_C(1767222000));
    ck_assert_int_eq(time_ok("2025-12-31T23:00:00Z"), INT64_C(1767222000));
    ck_assert_int_eq(time_ok("1969-12-31T20:00:00-04:00"), 0);
}
END_TEST

START_TEST(test_time_parse_drops_fractional_seconds)
{
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00.5Z"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00.999999999Z"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2026-04-01T08:30:00.000+00:00"), T_2026_04_01_0830);
    ck_assert_int_eq(time_ok("2026-04-01T10:30:00.123456+02:00"), T_2026_04_01_0830);
}
END_TEST

START_TEST(test_time_parse_reads_leap_second_as_59)
{
    ck_assert_int_eq(time_ok("2016-12-31T23:59:60Z"), time_ok("2016-12-31T23:59:59Z"));
}
END_TEST

START_TEST(test_time_parse_rejects_missing_zone)
{
    time_bad("2026-04-01T08:30:00");
    time_bad("2026-04-01T08:30:00.5");
}
END_TEST

START_TEST(test_time_parse_rejects_malformed_fraction)
{
    time_bad("2026-04-01T08:30:00.Z");
    time_bad("2026-04-01T08:30:00.");
    time_bad("2026-04-01T08:30:00,5Z");
}
END_TEST

START_TEST(test_time_parse_rejects_malformed_offsets)
{
    time_bad("2026-04-01T08:30:00+0200");
    time_bad("2026-04-01T08:30:00+02");
    time_bad("2026-04-01T08:30:00+2:00");
    time_bad("2026-04-01T08:30:00+24:00");
    time_bad("2026-04-01T08:30:00+02:60");
    time_bad("2026-04-01T08:30:00 +02:00");
    time_bad("2026-04-01T08:30:00UTC");
}
END_TEST

START_TEST(test_time_parse_rejects_out_of_range_clock)
{
    time_bad("2026-04-01T24:00:00Z");
    time_bad("2026-04-01T08:60:00Z");
    time_bad("2026-04-01T08:30:61Z");
    time_bad("2026-04-01T8:30:00Z");
    time_bad("2026-04-01T08:30Z");
}
END_TEST

START_TEST(test_time_parse_rejects_invalid_dates_and_separators)
{
    time_bad("2023-02-29T00:00:00Z");
    time_bad("2026-4-01T08:30:00Z");
    time_bad("2026-04-01X08:30:00Z");
    time_bad("2026-04-01_08:30:00Z");
    time_bad("2026-04-01");
    time_bad("");
}
END_TEST

START_TEST(test_time_parse_rejects_trailing_garbage)
{
    int64_t t = 3;
    time_bad("2026-04-01T08:30:00ZZ");
    time_bad("2026-04-01T08:30:00Z ");
    time_bad("2026-04-01T08:30:00+02:00x");
    time_bad("2026-04-01T08:30:00+02:00:00");
    ck_assert_int_eq(l2c__time_parse(&t, NULL), -1);
    ck_assert_int_eq(t, 3);
}
END_TEST

START_TEST(test_time_parse_accepts_year_bounds)
{
    ck_assert_int_eq(time_ok("0001-01-01T00:00:00Z"), T_0001_01_01);
    ck_assert_int_eq(time_ok("9999-12-31T23:59:59Z"), T_9999_12_31_END);
    ck_assert_int_eq(time_ok("0001-01-01T00:00:00+01:00"), T_0001_01_01 - 3600);
    ck_assert_int_eq(time_ok("9999-12-31T23:59:59-01:00"), T_9999_12_31_END + 3600);
}
END_TEST

/* ---------------------------------------------------------- time_format */

START_TEST(test_time_format_writes_utc)
{
    char b[32];
    ck_assert_str_eq(fmt_time(b, 0), "1970-01-01T00:00:00Z");
    ck_assert_str_eq(fmt_time(b, -1), "1969-12-31T23:59:59Z");
    ck_assert_str_eq(fmt_time(b, T_2026_04_01_0830), "2026-04-01T08:30:00Z");
    ck_assert_str_eq(fmt_time(b, INT64_C(1709210096)), "2024-02-29T12:34:56Z");
    ck_assert_str_eq(fmt_time(b, T_0001_01_01), "0001-01-01T00:00:00Z");
    ck_assert_str_eq(fmt_time(b, T_9999_12_31_END), "9999-12-31T23:59:59Z");
}
END_TEST

START_TEST(test_time_format_clamps_to_years_1_to_9999)
{
    char b[32];
    ck_assert_str_eq(fmt_time(b, T_0001_01_01 - 1), "0001-01-01T00:00:00Z");
    ck_assert_str_eq(fmt_time(b, INT64_MIN), "0001-01-01T00:00:00Z");
    ck_assert_str_eq(fmt_time(b, T_9999_12_31_END + 1), "9999-12-31T23:59:59Z");
    ck_assert_str_eq(fmt_time(b, INT64_MAX), "9999-12-31T23:59:59Z");
}
END_TEST

START_TEST(test_time_format_then_parse_round_trips)
{
    static const int64_t ts[] = {0, 1, -1, 59, 60, 86399, 86400, -86400, -86401,
                                 T_2026_04_01_0830, INT64_C(951782400) /* 2000-02-29 */,
                                 T_0001_01_01, T_9999_12_31_END};
    char b[32];
    long bad = 0;
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++)
        ck_assert_int_eq(time_ok(fmt_time(b, ts[i])), ts[i]);
    for (int64_t t = T_0001_01_01; t <= T_9999_12_31_END; t += INT64_C(777777)) {
        int64_t back = 0;
        l2c__time_format(b, t);
        if (l2c__time_parse(&back, b) != 0 || back != t)
            bad++;
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

/* ------------------------------------------------------------- time_day */

START_TEST(test_time_day_of_non_negative_times)
{
    ck_assert_int_eq(l2c__time_day(0), 0);
    ck_assert_int_eq(l2c__time_day(86399), 0);
    ck_assert_int_eq(l2c__time_day(86400), 1);
    ck_assert_int_eq(l2c__time_day(T_2026_04_01_0830), 20544);
    ck_assert_int_eq(l2c__time_day(T_9999_12_31_END), DAY_9999_12_31);
}
END_TEST

START_TEST(test_time_day_floors_negative_times)
{
    ck_assert_int_eq(l2c__time_day(-1), -1);
    ck_assert_int_eq(l2c__time_day(-86399), -1);
    ck_assert_int_eq(l2c__time_day(-86400), -1);
    ck_assert_int_eq(l2c__time_day(-86401), -2);
    ck_assert_int_eq(l2c__time_day(T_0001_01_01), DAY_0001_01_01);
    ck_assert_int_eq(l2c__time_day(T_0001_01_01 - 1), DAY_0001_01_01 - 1);
}
END_TEST

START_TEST(test_time_day_saturates_and_never_returns_no_date)
{
    ck_assert_int_eq(l2c__time_day(INT64_MIN), INT32_MIN + 1);
    ck_assert_int_eq(l2c__time_day(INT64_MAX), INT32_MAX);
    ck_assert_int_eq(l2c__time_day((int64_t)INT32_MIN * 86400), INT32_MIN + 1);
    ck_assert_int_eq(l2c__time_day((int64_t)INT32_MAX * 86400 + 86399), INT32_MAX);
}
END_TEST

static Suite *date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc;

    tc = tcase_create("civil");
    tcase_add_test(tc, test_days_from_civil_known_dates);
    tcase_add_test(tc, test_days_from_civil_handles_negative_years);
    tcase_add_test(tc, test_civil_from_days_known_dates);
    tcase_add_test(tc, test_civil_round_trips_day_by_day);
    tcase_add_test(tc, test_civil_round_trips_at_int32_extremes);
    suite_add_tcase(s, tc);

    tc = tcase_create("date_parse");
    tcase_add_test(tc, test_date_parse_accepts_iso_dates);
    tcase_add_test(tc, test_date_parse_accepts_leap_days);
    tcase_add_test(tc, test_date_parse_rejects_feb_29_of_common_years);
    tcase_add_test(tc, test_date_parse_accepts_year_bounds);
    tcase_add_test(tc, test_date_parse_rejects_year_zero_and_five_digit_years);
    tcase_add_test(tc, test_date_parse_rejects_unpadded_fields);
    tcase_add_test(tc, test_date_parse_rejects_impossible_days_and_months);
    tcase_add_test(tc, test_date_parse_rejects_trailing_garbage);
    tcase_add_test(tc, test_date_parse_rejects_other_shapes);
    suite_add_tcase(s, tc);

    tc = tcase_create("date_format");
    tcase_add_test(tc, test_date_format_writes_iso_dates);
    tcase_add_test(tc, test_date_format_clamps_to_years_1_to_9999);
    tcase_add_test(tc, test_date_format_then_parse_round_trips);
    suite_add_tcase(s, tc);

    tc = tcase_create("time_parse");
    tcase_add_test(tc, test_time_parse_accepts_utc_z);
    tcase_add_test(tc, test_time_parse_accepts_lower_case_z_and_t_and_space);
    tcase_add_test(tc, test_time_parse_converts_offsets_to_utc);
    tcase_add_test(tc, test_time_parse_offset_can_cross_midnight_and_year);
    tcase_add_test(tc, test_time_parse_drops_fractional_seconds);
    tcase_add_test(tc, test_time_parse_reads_leap_second_as_59);
    tcase_add_test(tc, test_time_parse_rejects_missing_zone);
    tcase_add_test(tc, test_time_parse_rejects_malformed_fraction);
    tcase_add_test(tc, test_time_parse_rejects_malformed_offsets);
    tcase_add_test(tc, test_time_parse_rejects_out_of_range_clock);
    tcase_add_test(tc, test_time_parse_rejects_invalid_dates_and_separators);
    tcase_add_test(tc, test_time_parse_rejects_trailing_garbage);
    tcase_add_test(tc, test_time_parse_accepts_year_bounds);
    suite_add_tcase(s, tc);

    tc = tcase_create("time_format");
    tcase_add_test(tc, test_time_format_writes_utc);
    tcase_add_test(tc, test_time_format_clamps_to_years_1_to_9999);
    tcase_add_test(tc, test_time_format_then_parse_round_trips);
    suite_add_tcase(s, tc);

    tc = tcase_create("time_day");
    tcase_add_test(tc, test_time_day_of_non_negative_times);
    tcase_add_test(tc, test_time_day_floors_negative_times);
    tcase_add_test(tc, test_time_day_saturates_and_never_returns_no_date);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(date_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
