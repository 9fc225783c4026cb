/* test_sanitize.c — the visible form of untrusted text: controls, DEL, C1,
 * bidi controls and invalid bytes are shown escaped, printable UTF-8 kept,
 * and san_fprintf escapes only its arguments. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

static void is(const char *in, const char *want)
{
	char buf[256];
	ck_assert_str_eq(san_buf(buf, sizeof buf, in), want);
	char *d = san_dup(in);
	ck_assert_str_eq(d, want);
	free(d);
}

START_TEST(test_controls_visible)
{
	is("eve\033]0;OWNED\a", "eve\\e]0;OWNED\\a");
	is("x\033]52;c;cHduZWQ=\a\033[2J", "x\\e]52;c;cHduZWQ=\\a\\e[2J");
	is("a\tb\nc\rd\x01\x7f", "a\\tb\\nc\\rd\\x01\\x7f");
	is("\b\v\f", "\\b\\v\\f");
}
END_TEST

START_TEST(test_c1_bidi_invalid)
{
	is("\xc2\x9b" "2J", "<U+009B>2J");
	is("\xc2\x85", "<U+0085>");
	is("\x9b" "2J", "\\x9b2J");
	is("caf\xe9", "caf\\xe9");
	is("ab\xe2\x80\xae" "cd", "ab<U+202E>cd");
	is("\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9", "<U+202A><U+2066><U+2069>");
	is("\xed\xa0\x80", "\\xed\\xa0\\x80");   /* a surrogate is not UTF-8 */
	is("\xc0\xaf", "\\xc0\\xaf");           /* nor is an overlong form */
}
END_TEST

START_TEST(test_printable_kept)
{
	is("café 漢字 \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9 e\xcc\x81 \xc2\xa0!",
	   "café 漢字 \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9 e\xcc\x81 \xc2\xa0!");
	is("", "");
	is("back\\slash", "back\\slash");
}
END_TEST

START_TEST(test_buf_cuts_at_character)
{
	char buf[6];
	ck_assert_str_eq(san_buf(buf, sizeof buf, "ab\033cd"), "ab\\ec");
	ck_assert_str_eq(san_buf(buf, sizeof buf, "abcd\033"), "abcd");
	ck_assert_str_eq(san_buf(buf, 4, "a漢"), "a");
}
END_TEST

static char *printed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printed(const char *fmt, ...)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	va_list ap;
	va_start(ap, fmt);
	san_vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	return out;
}

START_TEST(test_printf_escapes_arguments_only)
{
	char *s = printed("\033[K%s|%5s|%-4s|%.2s|%c|%zu|%lld|%.3f|%%|%x|%*d\n",
			  "a\033b", "x", "y", "abc", '\a', (size_t)7, -5LL, 1.5, 255, 3, 4);
	ck_assert_str_eq(s, "\033[Ka\\eb|    x|y   |ab|\\a|7|-5|1.500|%|ff|  4\n");
	free(s);
	char big[3000];
	memset(big, '\033', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	s = printed("<%s>", big);
	ck_assert_uint_eq(strlen(s), 2 + 2 * (sizeof big - 1));
	ck_assert_ptr_null(strchr(s, '\033'));
	free(s);
}
END_TEST

START_TEST(test_lines_keep_line_ends)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	const char rec[] = "a\033b\r\nc\rd\n\x9b\n";
	ck_assert_uint_eq(san_fwrite_lines(rec, sizeof rec - 1, 0, f), sizeof rec - 1);
	/* a character cut at the end of a chunk waits for the next chunk */
	ck_assert_uint_eq(san_fwrite_lines("x\xc3", 2, 1, f), 1);
	ck_assert_uint_eq(san_fwrite_lines("\xc3\xa9", 2, 0, f), 2);
	ck_assert_uint_eq(san_fwrite_lines("y\xc3", 2, 0, f), 2);
	fclose(f);
	ck_assert_str_eq(out, "a\\eb\r\nc\\rd\n\\x9b\nx\xc3\xa9y\\xc3");
	free(out);
}
END_TEST

START_TEST(test_needed)
{
	ck_assert_int_eq(san_needed("plain ascii, café, 漢字", strlen("plain ascii, café, 漢字")), 0);
	ck_assert_int_eq(san_needed("a\tb", 3), 1);
	ck_assert_int_eq(san_needed("caf\xe9", 4), 1);
	ck_assert_int_eq(san_needed("x\xc2\x9b", 3), 1);
	ck_assert_int_eq(san_needed("\xe2\x80\xae", 3), 1);
	ck_assert_int_eq(san_needed("\033", 0), 0);
}
END_TEST

START_TEST(test_class_spaces_visible)
{
	char buf[64];
	ck_assert_str_eq(san_class(buf, sizeof buf, "cat"), "cat");
	ck_assert_str_eq(san_class(buf, sizeof buf, "cat "), "cat␠");
	ck_assert_str_eq(san_class(buf, sizeof buf, "  cat"), "␠␠cat");
	ck_assert_str_eq(san_class(buf, sizeof buf, "big cat"), "big cat");
	ck_assert_str_eq(san_class(buf, sizeof buf, " "), "␠");
	ck_assert_str_eq(san_class(buf, sizeof buf, "c\033t "), "c\\et␠");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_controls_visible);
	tcase_add_test(tc, test_c1_bidi_invalid);
	tcase_add_test(tc, test_printable_kept);
	tcase_add_test(tc, test_buf_cuts_at_character);
	tcase_add_test(tc, test_printf_escapes_arguments_only);
	tcase_add_test(tc, test_lines_keep_line_ends);
	tcase_add_test(tc, test_needed);
	tcase_add_test(tc, test_class_spaces_visible);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
