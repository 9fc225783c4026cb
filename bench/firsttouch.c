/* firsttouch.c — what the first write to a fresh anonymous array costs, in
 * huge pages and in ordinary ones: the choice dataset_alloc_big makes.
 *
 *   cc -O2 -o firsttouch bench/firsttouch.c && ./firsttouch 80
 *
 * Maps MB megabytes three times each way, touches one byte a page, then
 * writes the whole array again (pages already there); run it after a few
 * idle seconds and back to back: a virtual machine that hands free memory
 * back to its host pays the first touch again, most for huge pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 80, n = mb << 20;
	for (int huge = 1; huge >= 0; huge--)
		for (int rep = 0; rep < 3; rep++) {
			char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED) {
				perror("mmap");
				return 1;
			}
#ifdef MADV_HUGEPAGE
			madvise(p, n, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
			double t = now();
			for (size_t i = 0; i < n; i += 4096)
				p[i] = 1;
			double first = now() - t;
			t = now();
			memset(p, 3, n);
			double again = now() - t;
			printf("%s pages, %zu MB: first touch %.1f ms, written again %.1f ms\n",
			       huge ? "huge" : "4 KiB", mb, first * 1e3, again * 1e3);
			munmap(p, n);
		}
	return 0;
}
