/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/natsd.c: main(). (Skeleton; being written.)
 */

#include "config.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	printf("natsd %s\n", PACKAGE_VERSION);
	return (0);
}
