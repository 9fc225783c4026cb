/* test_output.c — output files (src/output.c): nothing visible in the
 * directory until the output is complete, nothing left after an abort, a
 * failed write or a fatal signal, modes, and out_check's refusals. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/relabel-test-output.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	unsetenv("RELABEL_TEST_NO_TMPFILE");
	out_protect_reset();
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Entries in dir other than . and .. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static char *path(const char *name)
{
	static char buf[4][128];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

static void put(const char *p, const char *s)
{
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(s, f);
	fclose(f);
}

static void expect(const char *p, const char *s)
{
	char buf[256] = "";
	FILE *f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	ck_assert_str_eq(buf, s);
}

static int have_tmpfile(void)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

START_TEST(test_new_file_appears_complete)
{
	struct out o;
	struct err e = { 0 };
	ck_assert_int_eq(out_open(&o, path("a.csv"), &e), 0);
	fputs("x,y\n", o.f);
	if (have_tmpfile())
		ck_assert_int_eq(entries(), 0);   /* unnamed until complete */
	ck_assert_int_eq(out_close(&o, &e), 0);
	ck_assert_int_eq(entries(), 1);
	expect(path("a.csv"), "x,y\n");
}
END_TEST

START_TEST(test_abort_keeps_old_file)
{
	for (int named = 0; named < 2; named++) {
		if (named)
			setenv("RELABEL_TEST_NO_TMPFILE", "1", 1);
		put(path("a.csv"), "old\n");
		struct out o;
		struct err e = { 0 };
		ck_assert_int_eq(out_open(&o, path("a.csv"), &e), 0);
		fputs("new\n", o.f);
		ck_assert_int_eq(entries(), have_tmpfile() && !named ? 1 : 2);
		out_abort(&o);
		ck_assert_int_eq(entries(), 1);
		expect(path("a.csv"), "old\n");
	}
}
END_TEST

START_TEST(test_failed_write_keeps_old_file)
{
	/* a file size limit makes the write fail (EFBIG) at flush */
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit rl = { 4096, 4096 };
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	for (int named = 0; named < 2; named++) {
		if (named)
			setenv("RELABEL_TEST_NO_TMPFILE", "1", 1);
		put(path("a.csv"), "old\n");
		struct out o;
		struct err e = { 0 };
		ck_assert_int_eq(out_open(&o, path("a.csv"), &e), 0);
		for (int i = 0; i < 10000; i++)
			fputs("0123456789\n", o.f);
		ck_assert_int_eq(out_close(&o, &e), -1);
		ck_assert_int_eq(e.code, ERR_RUNTIME);
		ck_assert_ptr_nonnull(strstr(e.msg, "cannot write"));
		ck_assert_int_eq(entries(), 1);
		expect(path("a.csv"), "old\n");
	}
}
END_TEST

START_TEST(test_signal_removes_named_temp)
{
	int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			/* as in the program: nobody else handles these signals */
			for (size_t j = 0; j < sizeof sigs / sizeof sigs[0]; j++)
				signal(sigs[j], SIG_DFL);
			setenv("RELABEL_TEST_NO_TMPFILE", "1", 1);
			struct out o;
			struct err e = { 0 };
			if (out_open(&o, path("a.csv"), &e) < 0 || entries() != 1)
				_exit(3);
			fputs("half", o.f);
			raise(sigs[k]);
			_exit(4);
		}
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert(WIFSIGNALED(st));
		ck_assert_int_eq(WTERMSIG(st), sigs[k]);
		ck_assert_int_eq(entries(), 0);
	}
}
END_TEST

START_TEST(test_modes)
{
	umask(027);
	struct out o;
	struct err e = { 0 };
	struct stat st;
	ck_assert_int_eq(out_open(&o, path("new.csv"), &e), 0);
	ck_assert_int_eq(out_close(&o, &e), 0);
	ck_assert_int_eq(stat(path("new.csv"), &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	chmod(path("new.csv"), 0604);
	setenv("RELABEL_TEST_NO_TMPFILE", "1", 1);
	ck_assert_int_eq(out_open(&o, path("new.csv"), &e), 0);
	ck_assert_int_eq(out_close(&o, &e), 0);
	ck_assert_int_eq(stat(path("new.csv"), &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0604);
}
END_TEST

static int check2(const char *a, const char *b, struct err *e)
{
	struct out_spec s[] = { { "-o", a }, { "--manifest", b } };
	return out_check(s, 2, e);
}

START_TEST(test_check_outputs)
{
	struct err e = { 0 };
	ck_assert_int_eq(check2(NULL, "-", &e), -1);
	ck_assert_str_eq(e.msg, "-o and --manifest both write to standard output; "
		"send one of them to a file");
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_int_eq(check2(path("x"), path("./x"), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "is the same file as -o"));
	ck_assert_int_eq(check2(path("x"), path("y"), &e), 0);
	ck_assert_int_eq(check2(path("x"), dir, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "is a directory"));
	ck_assert_int_eq(check2(path("x"), path("no/y"), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "does not exist"));
	ck_assert_int_eq(e.code, ERR_INPUT);
	struct out_spec skip[] = { { "-o", path("x") }, { NULL, path("x") } };
	ck_assert_int_eq(out_check(skip, 2, &e), 0);

	put(path("d.csv"), "id,label\n");
	ck_assert_int_eq(symlink("d.csv", path("l.csv")), 0);
	out_protect("DATA", path("d.csv"));
	out_protect_log(path("d.relabel.db"));
	ck_assert_int_eq(check2(path("l.csv"), NULL, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "is the same file as DATA"));
	ck_assert_int_eq(check2(path("out.csv"), path("d.relabel.db-wal"), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "write-ahead log"));
	/* out_open checks again */
	struct out o;
	ck_assert_int_eq(out_open(&o, path("sub/../d.csv"), &e), -1);
	mkdir(path("sub"), 0700);
	ck_assert_int_eq(out_open(&o, path("sub/../d.csv"), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "is the same file as DATA"));
	expect(path("d.csv"), "id,label\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new_file_appears_complete);
	tcase_add_test(tc, test_abort_keeps_old_file);
	tcase_add_test(tc, test_failed_write_keeps_old_file);
	tcase_add_test(tc, test_signal_removes_named_temp);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_check_outputs);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
