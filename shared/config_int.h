/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/config_int.h: what the files of the configuration module share
 * (config.c, config_keys.c, config_check.c, config_model.c), and the
 * scalar parsers the unit tests reach directly. Not for use elsewhere.
 */

#ifndef NATSD_CONFIG_INT_H
#define NATSD_CONFIG_INT_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#define CONFIG_PATH_MAX		256

/* Where a key was given: its canonical path and its line. */
struct config_mark {
	char			*cpath;
	int			 line;
};

/*
 * The state of one config_parse() call. path is the key path as the
 * file spells it ("cluster.net"), for messages; cpath the same path in
 * canonical names ("cluster.host"), for looking up marks.
 */
struct config_parse {
	const char		*name;
	yaml_document_t		*doc;
	struct config		*cf;
	char			 path[CONFIG_PATH_MAX];
	size_t			 plen;
	char			 cpath[CONFIG_PATH_MAX];
	size_t			 clen;
	int			 depth;
	unsigned long		 visits;
	unsigned long		 maxvisits;
	char			*cause;
	struct config_mark	*marks;
	size_t			 nmarks;
};

struct config_save {
	size_t			 plen;
	size_t			 clen;
};

/* Flags of a key. */
#define K_SECONDS	0x01	/* a bare number is seconds */
#define K_ONE		0x02	/* a single string is a list of one */
#define K_SUBJECT	0x04	/* list items are subjects */
#define K_URL		0x08	/* list items are URLs */
#define K_NONEMPTY	0x10	/* the list may not be empty */

/* Groups: keys that set the same field may not both appear. */
#define G_HOST		0x01
#define G_PORT		0x02
#define G_HTTPHOST	0x04
#define G_HTTPPORT	0x08
#define G_HTTPSPORT	0x10
#define G_TYPE		0x20

struct config_key;
typedef int (*config_fn)(struct config_parse *, yaml_node_t *, void *,
    const struct config_key *);

/*
 * One key of a table. names is the canonical name, then aliases, split
 * by '|'. fn parses the value into base + off (and base + off2 for
 * keys that set two fields); min and max bound numbers, or carry a
 * constant for fn (a type, a flag bit). why, if set, rejects the key.
 */
struct config_key {
	const char		*names;
	config_fn		 fn;
	size_t			 off;
	size_t			 off2;
	int64_t			 min;
	int64_t			 max;
	int			 flags;
	unsigned int		 group;
	const struct config_key	*sub;
	const char		*why;
};

/* The field at offset off of the struct at base. */
#define FIELD(base, off, type)	((type *)(void *)((char *)(base) + (off)))

/* config.c */
int		 config_errorl(struct config_parse *, int, const char *,
		    const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
int		 config_error(struct config_parse *, yaml_node_t *,
		    const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
int		 config_expected(struct config_parse *, yaml_node_t *,
		    const char *);
const char	*config_scalar(struct config_parse *, yaml_node_t *,
		    const char *);
struct config_save config_push(struct config_parse *, const char *, size_t,
		    const char *, size_t);
struct config_save config_push_index(struct config_parse *, size_t);
void		 config_pop(struct config_parse *, struct config_save);
void		 config_mark(struct config_parse *, int);
yaml_node_t	*config_node(struct config_parse *, int);
int		 config_enter(struct config_parse *, yaml_node_t *);
int		 config_map(struct config_parse *, yaml_node_t *,
		    const struct config_key *, void *);
int		 config_list(struct config_parse *, yaml_node_t *, void **,
		    size_t *, size_t, int (*)(struct config_parse *,
		    yaml_node_t *, void *, void *), void *);
int		 config_enabled(struct config_parse *, yaml_node_t *, int *);
int		 config_str(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_bool(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_i32(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_i64(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_size(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_size32(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_dur(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_listen(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_strlist(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
int		 config_block(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);

int		 config_line(struct config_parse *, const char *);
int		 config_parse_size(const char *, int64_t *);
int		 config_parse_duration(const char *, int, int64_t *);
const char	*config_fmt_duration(char *, size_t, int64_t);
const char	*config_fmt_size(char *, size_t, int64_t);
int		 config_subject_ok(const char *, int);

/* config_keys.c */
extern const struct config_key config_top_keys[];
int		 config_nkey_ok(const char *, char);

/* config_check.c */
struct config	*config_new(void);
int		 config_finish(struct config_parse *);

/* config_model.c */
void		 config_strlist_free(struct config_strlist *);
struct config_permissions *config_perms_dup(const struct config_permissions *);

#endif /* NATSD_CONFIG_INT_H */
