/* test_err.c — the error value: messages, codes and FILE:LINE:COLUMN form. */
#include <check.h>
#include <string.h>

#include "err.h"

START_TEST(test_err_at_names_place)
{
	struct err e;
	err_clear(&e);
	ck_assert_int_eq(err_at(&e, "data.csv", 12, 3, "expected %d fields", 4), -1);
	ck_assert_str_eq(e.msg, "data.csv:12:3: expected 4 fields");
	ck_assert_int_eq(e.code, ERR_INPUT);
}
END_TEST

START_TEST(test_err_at_without_column)
{
	struct err e;
	err_at(&e, "p.csv", 7, 0, "empty file");
	ck_assert_str_eq(e.msg, "p.csv:7: empty file");
}
END_TEST

START_TEST(test_err_set_truncates_safely)
{
	struct err e;
	char big[4000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	err_set(&e, ERR_RUNTIME, "%s", big);
	ck_assert_uint_eq(strlen(e.msg), sizeof e.msg - 1);
	ck_assert_int_eq(e.code, ERR_RUNTIME);
	err_clear(&e);
	ck_assert_str_eq(e.msg, "");
	ck_assert_int_eq(e.code, ERR_NONE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_err_at_names_place);
	tcase_add_test(tc, test_err_at_without_column);
	tcase_add_test(tc, test_err_set_truncates_safely);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
