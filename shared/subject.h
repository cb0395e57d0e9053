/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/subject.h: NATS subject and queue name checks, with the rules
 * nats-server v2.9 applies where it applies them.
 */

#ifndef NATSD_SUBJECT_H
#define NATSD_SUBJECT_H

#include <stddef.h>

int	subject_valid(const char *, size_t, int);
int	subject_valid_sub(const char *, size_t);
int	subject_valid_literal(const char *, size_t);
int	subject_literal(const char *, size_t);
int	subject_ntokens(const char *, size_t);
int	queue_valid(const char *, size_t);
int	subject_matches(const char *, size_t, const char *, size_t);

#endif /* NATSD_SUBJECT_H */
