/*
 * sets.h — the shared sets on the evidence connection (scorecard language v2, item 6).
 *
 * A set is a named SELECT over the evidence that items read as the table sets.NAME. The host
 * makes each set once per run, before any item: it runs the SELECT into a TEMP table (with the
 * indexes declared), then publishes all of them together as the attached in-memory schema
 * `sets`, deserialized READ-ONLY from one image; worker connections (eval.c, -j N) attach the
 * same image without copying it. A scorecard's own queries can never write: the authorizer
 * lets only the host's statements here write, and only into TEMP (evidence.c host_may).
 *
 * One name is one set on a connection: the same name again with the same SQL and the same
 * bound parameter values is the set already made; with a different SQL or different values it
 * is an error naming both declarations.
 */
#ifndef KAOHE_EV_SETS_H
#define KAOHE_EV_SETS_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/evidence.h"

typedef struct ev_set_def {
    const char *name;         /* a plain identifier (the language checks it) */
    const char *sql;          /* one SELECT, without a trailing ';' or comment */
    const char *const *index; /* one index each: "col" or "col1, col2" */
    size_t nindex;
    const char *where;  /* "FILE:LINE: set NAME:", prefixing every message */
    const char *origin; /* "FILE:LINE", named when another declaration of the name differs */
} ev_set_def;

/* Starts a batch: the sets made until ev_sets_publish. 0, or -1 with err set. */
int ev_sets_begin(evidence *ev, kh_error *err);

/* Makes the set in the batch: filled with its SELECT's rows (*rows says how many), or, with
 * empty, only its columns and indexes (`kaohe check`). 1: made; 0: the same set was made in
 * this batch already (nothing done); -1: err set (an SQL error, or the name taken by another
 * SQL or other parameter values). */
int ev_set_make(evidence *ev, const ev_set_def *d, const kh_param *params, size_t nparams,
                int empty, int64_t *rows, kh_error *err);

/* The two halves of ev_set_make, for making the sets on several connections at once
 * (core/sets_parallel.c). ev_set_claim, on the connection that will publish: checks the set
 * as ev_set_make does and notes it as made in this batch, without making it: 1 to be made,
 * 0 made (or claimed) in this batch already, -1 err set. ev_set_build, on any connection of
 * the same evidence inside a batch of its own (ev_sets_begin): makes a claimed set in that
 * connection's TEMP (0, or -1 with err naming the set). */
int ev_set_claim(evidence *ev, const ev_set_def *d, const kh_param *params, size_t nparams,
                 kh_error *err);
int ev_set_build(evidence *ev, const ev_set_def *d, const kh_param *params, size_t nparams,
                 int empty, int64_t *rows, kh_error *err);

/* The sets one connection made in its batch, copied out (its batch ends: TEMP dropped, the
 * connection read-only again). ev_sets_publish_images combines several connections' images
 * into one and publishes it on ev as ev_sets_publish would (taking the images over, also on
 * failure). 0, or -1 with err. */
typedef struct ev_sets_image ev_sets_image;
int ev_sets_take_image(evidence *ev, ev_sets_image **out, kh_error *err);
int ev_sets_publish_images(evidence *ev, ev_sets_image **images, size_t n, kh_error *err);
void ev_sets_image_free(ev_sets_image *img);

/* Publishes the batch as the read-only schema `sets` (replacing what an earlier batch
 * published) and makes the connection read-only again. ev_sets_abandon ends a failed batch. */
int ev_sets_publish(evidence *ev, kh_error *err);
void ev_sets_abandon(evidence *ev);

/* Attaches what `from` published, read-only and without copying, to another connection on
 * the same evidence (an item worker's). Nothing to do if `from` published nothing. `from`
 * must stay open while `worker` is. */
int ev_sets_share(evidence *worker, evidence *from, kh_error *err);

#endif
