/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_monitor.c: the formats monitoring shares with nats-server's
 * Go (supervisor/monitor_fmt.c). Expected texts are Go's, from its
 * documentation and from what nats-server 2.9 printed, not from ours:
 * time.Duration.String(), RFC 3339 times with nanoseconds, nats-server's
 * uptimes, url.Query().Get(), strconv.ParseBool/Atoi/ParseUint, and
 * U+FFFD for bytes that are not UTF-8.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <jansson.h>

#include "supervisor.h"

#define SEC	1000000000LL
#define MS	1000000LL
#define US	1000LL

static char	buf[128];

static const char *
dur(int64_t ns)
{
	monitor_fmt_duration(buf, sizeof(buf), ns);
	return (buf);
}

static const char *
up(int64_t ns)
{
	monitor_fmt_uptime(buf, sizeof(buf), ns);
	return (buf);
}

/* Go's own table in time's tests: Duration.String(). */
START_TEST(test_monitor_fmt_duration_go)
{
	ck_assert_str_eq(dur(0), "0s");
	ck_assert_str_eq(dur(1), "1ns");
	ck_assert_str_eq(dur(1100), "1.1\xc2\xb5s");
	ck_assert_str_eq(dur(2200 * US), "2.2ms");
	ck_assert_str_eq(dur(3300 * MS), "3.3s");
	ck_assert_str_eq(dur(4 * 60 * SEC + 5 * SEC), "4m5s");
	ck_assert_str_eq(dur(4 * 60 * SEC + 5001 * MS), "4m5.001s");
	ck_assert_str_eq(dur(5 * 3600 * SEC + 6 * 60 * SEC + 7001 * MS),
	    "5h6m7.001s");
	ck_assert_str_eq(dur(8 * 60 * SEC + 1), "8m0.000000001s");
	ck_assert_str_eq(dur(-1), "-1ns");
	ck_assert_str_eq(dur(-1100), "-1.1\xc2\xb5s");
	ck_assert_str_eq(dur(INT64_MAX), "2562047h47m16.854775807s");
	ck_assert_str_eq(dur(INT64_MIN), "-2562047h47m16.854775808s");
	ck_assert_str_eq(dur(2 * 60 * SEC), "2m0s");
}
END_TEST

/* nats-server's getRTT(): microseconds below 1ms. */
START_TEST(test_monitor_fmt_rtt_truncation)
{
	monitor_fmt_rtt(buf, sizeof(buf), 279481);
	ck_assert_str_eq(buf, "279\xc2\xb5s");
	monitor_fmt_rtt(buf, sizeof(buf), 999);
	ck_assert_str_eq(buf, "999ns");
	monitor_fmt_rtt(buf, sizeof(buf), 1234567);
	ck_assert_str_eq(buf, "1.234567ms");
	monitor_fmt_rtt(buf, sizeof(buf), 0);
	ck_assert_str_eq(buf, "0s");
}
END_TEST

START_TEST(test_monitor_fmt_uptime_units)
{
	ck_assert_str_eq(up(0), "0s");
	ck_assert_str_eq(up(999 * MS), "0s");
	ck_assert_str_eq(up(59 * SEC), "59s");
	ck_assert_str_eq(up(61 * SEC), "1m1s");
	ck_assert_str_eq(up(3601 * SEC), "1h0m1s");
	ck_assert_str_eq(up(86401 * SEC), "1d0h0m1s");
	ck_assert_str_eq(up(366 * 86400 * SEC + 3 * 3600 * SEC),
	    "1y1d3h0m0s");
}
END_TEST

/* A time known independently: timegm() and nats-server's own output. */
START_TEST(test_monitor_fmt_time_rfc3339)
{
	struct tm	tm;
	int64_t		t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 10;
	tm.tm_mday = 27;
	tm.tm_hour = 11;
	tm.tm_min = 32;
	tm.tm_sec = 32;
	t = (int64_t)timegm(&tm) * SEC;
	monitor_fmt_time(buf, sizeof(buf), t + 211340900);
	ck_assert_str_eq(buf, "2026-11-27T11:32:32.2113409Z");
	monitor_fmt_time(buf, sizeof(buf), t);
	ck_assert_str_eq(buf, "2026-11-27T11:32:32Z");
	monitor_fmt_time(buf, sizeof(buf), t + 1);
	ck_assert_str_eq(buf, "2026-11-27T11:32:32.000000001Z");
	monitor_fmt_time(buf, sizeof(buf), 0);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
}
END_TEST

static void
query_is(const char *q, const char *key, const char *want)
{
	char	*v = monitor_fmt_query(q, key);

	if (want == NULL)
		ck_assert_msg(v == NULL, "%s in %s: got %s", key, q, v);
	else {
		ck_assert_msg(v != NULL, "%s in %s: absent", key, q);
		ck_assert_str_eq(v, want);
	}
	free(v);
}

/* As Go's url.ParseQuery followed by Get. */
START_TEST(test_monitor_fmt_query_go)
{
	query_is("a=1&b=2", "b", "2");
	query_is("a=1&a=2", "a", "1");
	query_is("x=%41+b", "x", "A b");
	query_is("k", "k", "");
	query_is("k&j=1", "j", "1");
	query_is("bad=%zz&bad=ok", "bad", "ok");
	query_is("bad=%4", "bad", NULL);
	query_is("a;b=1&b=2", "b", "2");
	query_is("a=1", "b", NULL);
	query_is(NULL, "a", NULL);
	query_is("", "a", NULL);
	query_is("&&a=1&&", "a", "1");
	query_is("%61=x", "a", "x");
	query_is("=v", "", "v");
}
END_TEST

/* strconv.ParseBool. */
START_TEST(test_monitor_fmt_bool_go)
{
	const char	*yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	const char	*no[] = { "0", "f", "F", "FALSE", "false", "False" };
	const char	*bad[] = { "", "yes", "tRUE", "2", " 1", "1 " };
	size_t		 i;
	int		 v;

	for (i = 0; i < 6; i++) {
		v = -1;
		ck_assert_int_eq(monitor_fmt_bool(yes[i], &v), 0);
		ck_assert_int_eq(v, 1);
		ck_assert_int_eq(monitor_fmt_bool(no[i], &v), 0);
		ck_assert_int_eq(v, 0);
		ck_assert_int_eq(monitor_fmt_bool(bad[i], &v), -1);
	}
}
END_TEST

/* strconv.Atoi and ParseUint: syntax and range. */
START_TEST(test_monitor_fmt_int_range)
{
	int64_t		v;
	uint64_t	u;

	ck_assert_int_eq(monitor_fmt_int("12", &v), 0);
	ck_assert_int_eq(v, 12);
	ck_assert_int_eq(monitor_fmt_int("-3", &v), 0);
	ck_assert_int_eq(v, -3);
	ck_assert_int_eq(monitor_fmt_int("+4", &v), 0);
	ck_assert_int_eq(v, 4);
	ck_assert_int_eq(monitor_fmt_int("9223372036854775807", &v), 0);
	ck_assert_int_eq(v, INT64_MAX);
	ck_assert_int_eq(monitor_fmt_int("-9223372036854775808", &v), 0);
	ck_assert_int_eq(v, INT64_MIN);
	ck_assert_int_eq(monitor_fmt_int("9223372036854775808", &v), -2);
	ck_assert_int_eq(monitor_fmt_int("-9223372036854775809", &v), -2);
	ck_assert_int_eq(monitor_fmt_int("", &v), -1);
	ck_assert_int_eq(monitor_fmt_int("-", &v), -1);
	ck_assert_int_eq(monitor_fmt_int("1x", &v), -1);
	ck_assert_int_eq(monitor_fmt_int(" 1", &v), -1);
	/* Go reports the overflow it meets before the bad byte. */
	ck_assert_int_eq(monitor_fmt_int("99999999999999999999999x", &v), -2);
	ck_assert_int_eq(monitor_fmt_int("1x99999999999999999999999", &v), -1);
	ck_assert_int_eq(monitor_fmt_int("9223372036854775808x", &v), -1);

	ck_assert_int_eq(monitor_fmt_uint("18446744073709551615", &u), 0);
	ck_assert_uint_eq(u, UINT64_MAX);
	ck_assert_int_eq(monitor_fmt_uint("18446744073709551616", &u), -2);
	ck_assert_int_eq(monitor_fmt_uint("0", &u), 0);
	ck_assert_uint_eq(u, 0);
	ck_assert_int_eq(monitor_fmt_uint("+1", &u), -1);
	ck_assert_int_eq(monitor_fmt_uint("-1", &u), -1);
}
END_TEST

START_TEST(test_monitor_fmt_quote_escapes)
{
	char	*q;

	q = monitor_fmt_quote("x");
	ck_assert_str_eq(q, "\"x\"");
	free(q);
	q = monitor_fmt_quote("a\"b\\");
	ck_assert_str_eq(q, "\"a\\\"b\\\\\"");
	free(q);
	q = monitor_fmt_quote("\n\t\x01");
	ck_assert_str_eq(q, "\"\\n\\t\\x01\"");
	free(q);
}
END_TEST

static void
json_is(const char *in, const char *want)
{
	json_t	*j = monitor_fmt_json_str(in);

	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(j), want);
	json_decref(j);
}

/* Each byte that is not part of valid UTF-8 becomes U+FFFD. */
START_TEST(test_monitor_fmt_json_str_utf8)
{
	json_is("plain", "plain");
	json_is("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80",
	    "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
	json_is("a\xff" "b", "a\xef\xbf\xbd" "b");
	json_is("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	json_is("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_is("\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd");
	json_is("\xf4\x90\x80\x80",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_is(NULL, "");
}
END_TEST

static Suite *
monitor_suite(void)
{
	Suite	*s = suite_create("monitor");
	TCase	*tc = tcase_create("fmt");

	tcase_add_test(tc, test_monitor_fmt_duration_go);
	tcase_add_test(tc, test_monitor_fmt_rtt_truncation);
	tcase_add_test(tc, test_monitor_fmt_uptime_units);
	tcase_add_test(tc, test_monitor_fmt_time_rfc3339);
	tcase_add_test(tc, test_monitor_fmt_query_go);
	tcase_add_test(tc, test_monitor_fmt_bool_go);
	tcase_add_test(tc, test_monitor_fmt_int_range);
	tcase_add_test(tc, test_monitor_fmt_quote_escapes);
	tcase_add_test(tc, test_monitor_fmt_json_str_utf8);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(monitor_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
