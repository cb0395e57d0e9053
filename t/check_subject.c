/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_subject.c: unit tests of shared/subject.c against tables of
 * cases taken from nats-server v2.9's rules (sublist.go IsValidSubject,
 * IsValidLiteralSubject, subjectIsLiteral, Sublist.Insert).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "subject.h"

/* subject, valid, valid literal(publish), sub-valid, pedantic-literal */
static const struct {
	const char	*s;
	int		 valid;		/* IsValidSubject */
	int		 publish;	/* IsValidPublishSubject */
	int		 sub;		/* Sublist.Insert accepts */
	int		 literal;	/* IsValidLiteralSubject */
	int		 is_literal;	/* subjectIsLiteral */
} cases[] = {
	{ "foo",		1, 1, 1, 1, 1 },
	{ "foo.bar",		1, 1, 1, 1, 1 },
	{ "",			0, 0, 0, 0, 1 },
	{ ".",			0, 0, 0, 0, 1 },
	{ "foo.",		0, 0, 0, 0, 1 },
	{ ".foo",		0, 0, 0, 0, 1 },
	{ "foo..bar",		0, 0, 0, 0, 1 },
	{ "*",			1, 0, 1, 0, 0 },
	{ ">",			1, 0, 1, 0, 0 },
	{ "foo.*",		1, 0, 1, 0, 0 },
	{ "foo.>",		1, 0, 1, 0, 0 },
	{ "foo.>.bar",		0, 0, 0, 0, 0 },
	{ ">.foo",		0, 0, 0, 0, 0 },
	{ "*.foo.*",		1, 0, 1, 0, 0 },
	{ "foo*",		1, 1, 1, 1, 1 },
	{ "foo.*bar",		1, 1, 1, 1, 1 },
	{ "foo.b>r",		1, 1, 1, 1, 1 },
	{ "foo bar",		0, 0, 1, 1, 1 },
	{ "foo.\tbar",		0, 0, 1, 1, 1 },
	{ "foo.\f",		0, 0, 1, 1, 1 },
	{ "foo.\r.x",		0, 0, 1, 1, 1 },
	{ "\n",			0, 0, 1, 1, 1 },
	{ "$SYS.>",		1, 0, 1, 0, 0 },
	{ "_INBOX.abc.*",	1, 0, 1, 0, 0 },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

START_TEST(test_subject_valid_table)
{
	const char	*s = cases[_i].s;
	size_t		 len = strlen(s);

	ck_assert_msg(subject_valid(s, len, 1) == cases[_i].valid,
	    "subject_valid(\"%s\", 1)", s);
	ck_assert_msg(subject_valid(s, len, 0) == cases[_i].publish,
	    "subject_valid(\"%s\", 0)", s);
	ck_assert_msg(subject_valid_sub(s, len) == cases[_i].sub,
	    "subject_valid_sub(\"%s\")", s);
	ck_assert_msg(subject_valid_literal(s, len) == cases[_i].literal,
	    "subject_valid_literal(\"%s\")", s);
	ck_assert_msg(subject_literal(s, len) == cases[_i].is_literal,
	    "subject_literal(\"%s\")", s);
}
END_TEST

START_TEST(test_subject_valid_not_terminated)
{
	/* Lengths are honoured: the bytes after are not looked at. */
	ck_assert_int_eq(subject_valid("foo.bar..", 7, 1), 1);
	ck_assert_int_eq(subject_valid("foo.>.x", 5, 1), 1);
	ck_assert_int_eq(subject_valid_sub("foo.>.x", 5), 1);
	ck_assert_int_eq(subject_literal("foo.>", 4), 1);
	ck_assert_int_eq(subject_valid("a b", 1, 1), 1);
}
END_TEST

START_TEST(test_subject_ntokens)
{
	ck_assert_int_eq(subject_ntokens("", 0), 0);
	ck_assert_int_eq(subject_ntokens("a", 1), 1);
	ck_assert_int_eq(subject_ntokens("a.b.>", 5), 3);
	ck_assert_int_eq(subject_ntokens("a..", 3), 3);
}
END_TEST

START_TEST(test_subject_queue_valid)
{
	ck_assert_int_eq(queue_valid("q", 1), 1);
	ck_assert_int_eq(queue_valid("workers.v1", 10), 1);
	ck_assert_int_eq(queue_valid("*", 1), 1);
	ck_assert_int_eq(queue_valid("", 0), 0);
	ck_assert_int_eq(queue_valid("a b", 3), 0);
	ck_assert_int_eq(queue_valid("a\t", 2), 0);
	ck_assert_int_eq(queue_valid("a\r\n", 3), 0);
}
END_TEST

static Suite *
subject_suite(void)
{
	Suite	*s = suite_create("subject");
	TCase	*tc;

	tc = tcase_create("subject");
	tcase_add_loop_test(tc, test_subject_valid_table, 0, NCASES);
	tcase_add_test(tc, test_subject_valid_not_terminated);
	tcase_add_test(tc, test_subject_ntokens);
	tcase_add_test(tc, test_subject_queue_valid);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(subject_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
