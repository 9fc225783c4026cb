/* test_textwidth.c — the screen's text: escapes, tabs, characters left out,
 * widths and cutting agree between tw_width, tw_fit and canvas_put. */
#include <check.h>
#include <string.h>

#include "canvas.h"
#include "textwidth.h"

static const char *row_text(struct canvas *c, int y, char *buf, size_t n)
{
	size_t o = 0;
	for (int x = 0; x < c->cols; x++) {
		const char *t = canvas_at(c, x, y)->text;
		size_t m = strlen(t);
		if (o + m + 1 > n)
			break;
		memcpy(buf + o, t, m);
		o += m;
	}
	while (o && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
	return buf;
}

START_TEST(test_zwj_sequence_as_separate_emoji)
{
	const char *fam = "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7|";
	struct canvas *c = canvas_new(20, 1);
	char buf[256];
	ck_assert_int_eq(canvas_put(c, 0, 0, fam, 20, 0), 7);
	ck_assert_str_eq(row_text(c, 0, buf, sizeof buf),
			 "\xf0\x9f\x91\xa8\xf0\x9f\x91\xa9\xf0\x9f\x91\xa7|");
	ck_assert_uint_eq(tw_width(fam), 7);
	/* variation selector and skin tone left out; combining mark kept */
	canvas_clear(c);
	canvas_put(c, 0, 0, "\xe2\x9d\xa4\xef\xb8\x8f \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd e\xcc\x81", 20, 0);
	ck_assert_str_eq(row_text(c, 0, buf, sizeof buf), "\xe2\x9d\xa4 \xf0\x9f\x91\x8d e\xcc\x81");
	/* zero-width space, word joiner, BOM, soft hyphen: left out */
	canvas_clear(c);
	canvas_put(c, 0, 0, "a\xe2\x80\x8b" "b\xe2\x81\xa0" "c\xef\xbb\xbf" "d\xc2\xad" "e", 20, 0);
	ck_assert_str_eq(row_text(c, 0, buf, sizeof buf), "abcde");
	/* a flag is one two-column cell; a lone regional indicator escaped */
	canvas_clear(c);
	ck_assert_int_eq(canvas_put(c, 0, 0, "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7|", 20, 0), 3);
	ck_assert_str_eq(canvas_at(c, 0, 0)->text, "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7");
	ck_assert_uint_eq(tw_width("\xf0\x9f\x87\xab|"), 10);
	canvas_clear(c);
	canvas_put(c, 0, 0, "\xf0\x9f\x87\xab|", 20, 0);
	ck_assert_str_eq(row_text(c, 0, buf, sizeof buf), "<U+1F1EB>|");
	canvas_free(c);
}
END_TEST

START_TEST(test_controls_one_convention)
{
	struct canvas *c = canvas_new(40, 1);
	char buf[256], fit[64];
	const char *s = "a\033[2J\xc2\x9b\x9b\xe2\x80\xae\x7f" "b";
	const char *want = "a\\e[2J<U+009B>\\x9b<U+202E>\\x7fb";
	ck_assert_int_eq(canvas_put(c, 0, 0, s, 40, 0), (int)strlen(want));
	ck_assert_str_eq(row_text(c, 0, buf, sizeof buf), want);
	ck_assert_uint_eq(tw_width(s), strlen(want));
	tw_fit(fit, sizeof fit, s, 40, 0);
	ck_assert_str_eq(fit, want);
	tw_fit(fit, sizeof fit, s, 6, 0);
	ck_assert_str_eq(fit, "a\\e[2\xe2\x80\xa6");
	canvas_free(c);
}
END_TEST

START_TEST(test_tabs_expand)
{
	struct canvas *c = canvas_new(30, 1);
	char buf[256], fit[64];
	ck_assert_int_eq(canvas_put(c, 2, 0, "ab\tc\td", 28, 0), 17);
	ck_assert_str_eq(row_text(c, 0, buf, sizeof buf), "  ab      c       d");
	ck_assert_uint_eq(tw_width("ab\tc\td"), 17);
	tw_fit(fit, sizeof fit, "ab\tc", 20, 0);
	ck_assert_str_eq(fit, "ab      c");
	canvas_free(c);
}
END_TEST

START_TEST(test_class_names_fit)
{
	char fit[64];
	tw_fit_class(fit, sizeof fit, "cat ", 6, 1);
	ck_assert_str_eq(fit, "cat\xe2\x90\xa0  ");
	tw_fit_class(fit, sizeof fit, "cat", 6, 1);
	ck_assert_str_eq(fit, "cat   ");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("textwidth");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_zwj_sequence_as_separate_emoji);
	tcase_add_test(tc, test_controls_one_convention);
	tcase_add_test(tc, test_tabs_expand);
	tcase_add_test(tc, test_class_names_fit);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
