/* version.c — the version report (see version.h). The table below is the one
 * list of libraries relabel links: a library added to configure.ac (with
 * RELABEL_LIB_VERSION or its own *_VERSION_STRING define) gets one row. */
#include "config.h"

#include "version.h"

static const struct {
	const char *name, *version;
} libraries[] = {
	{ "ncursesw", NCURSESW_VERSION_STRING },
	{ "libcsv", LIBCSV_VERSION_STRING },
	{ "SQLite", SQLITE3_VERSION_STRING },
	{ "libpng", LIBPNG_VERSION_STRING },
	{ "nettle", NETTLE_VERSION_STRING },
	{ "zlib", ZLIB_VERSION_STRING },
	{ "libjpeg-turbo", TURBOJPEG_VERSION_STRING },
	{ "libchafa", CHAFA_VERSION_STRING },
	{ "fast_float", FAST_FLOAT_VERSION_STRING },
};

void version_print(FILE *f)
{
	fprintf(f, "relabel %s\nbuilt with:\n", PACKAGE_VERSION);
	for (size_t i = 0; i < sizeof libraries / sizeof libraries[0]; i++)
		fprintf(f, "  %-14s %s\n", libraries[i].name, libraries[i].version);
}
