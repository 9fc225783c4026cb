/* version.h — `relabel --version`: the program's version and the versions
 * of the libraries it was built with, for bug reports. */
#ifndef RELABEL_VERSION_H
#define RELABEL_VERSION_H

#include <stdio.h>

void version_print(FILE *f);

#endif
