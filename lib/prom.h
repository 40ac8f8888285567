/*
 * prom: a writer of the Prometheus text exposition format (version
 * 0.0.4) into a struct buf.
 *
 * The caller announces each metric family once (prom_family(): # HELP
 * and # TYPE) and then writes its samples.  A sample's labels are a
 * struct prom_labels, built once with prom_label() (a neighbor's labels
 * serve every family of that neighbor) and extended per sample by one
 * more pair if need be.  The writer escapes what the format says must
 * be escaped (backslash, double quote and newline in label values;
 * backslash and newline in help texts) and replaces bytes that are not
 * UTF-8 with U+FFFD, so that any description an operator wrote gives a
 * valid exposition.  Errors are sticky in the buf (buf_error()).
 */
#ifndef TB_PROM_H
#define TB_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum prom_type {
	PROM_COUNTER,
	PROM_GAUGE,
	PROM_UNTYPED
};

#define PROM_LABELS_MAX	2048	/* bytes of one escaped label set */

/* name="value",... without the braces, escaped; overflow is sticky and
 * makes every sample using the set an error. */
struct prom_labels {
	char		 s[PROM_LABELS_MAX];
	size_t		 len;
	int		 err;
};

struct prom {
	struct buf	*b;
	const char	*family;	/* the one announced last */
};

void	prom_init(struct prom *, struct buf *);
void	prom_family(struct prom *, const char *name, enum prom_type,
	    const char *help);

void	prom_labels_init(struct prom_labels *);
void	prom_label(struct prom_labels *, const char *name, const char *value);
void	prom_label_u64(struct prom_labels *, const char *name, uint64_t);

/* A sample of the current family.  labels may be NULL; name and value:
 * one more label for this sample, or NULL. */
void	prom_u64(struct prom *, const struct prom_labels *,
	    const char *name, const char *value, uint64_t);
void	prom_double(struct prom *, const struct prom_labels *,
	    const char *name, const char *value, double);

/* Escape s as a label value into b (no quotes), for tests. */
void	prom_escape_value(struct buf *, const char *s);

#endif
