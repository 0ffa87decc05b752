/*
 * A syscall event's info text from its raw parameter bytes (scap-info.c): the column kind 'i' of
 * a row batch (row-batch.c) is such a record, rendered where the batch's rows are read.
 */
#ifndef CAPSCOPE_SCAP_INFO_H
#define CAPSCOPE_SCAP_INFO_H

typedef struct {
  char *p;
  int n, cap;
  int nomem;
} ScapInfoBuf;

/* Renders `rec` (n bytes) into o (reused: o->n is reset); 0, or -1 for a record that does not parse. */
int scapInfoRender(const unsigned char *rec, int n, ScapInfoBuf *o);

#endif
