/* Paging one Relevance AI list (sync/relevance_pager.c). */
#ifndef OKDF_SYNC_RELEVANCE_PAGER_H
#define OKDF_SYNC_RELEVANCE_PAGER_H

/* Paging one Relevance list. Pages are numbered from 1 and the service may
 * serve fewer items than asked, so a list ends at the first page that brings
 * no id not already seen in this listing (which also stops a service that
 * ignores `page`), or after max_pages pages. */
typedef struct relevance_pager relevance_pager;

relevance_pager *relevance_pager_new(int max_pages); /* NULL: out of memory */
void relevance_pager_free(relevance_pager *p);
/* The page to ask for now. */
int relevance_pager_page(const relevance_pager *p);
/* One item of the current page: 1 when its id is new (store it), 0 when
 * already seen in this listing, -1 out of memory. */
int relevance_pager_add(relevance_pager *p, const char *id);
/* After a page: 1 to ask for the next one, 0 to stop; *capped is 1 when
 * stopped by max_pages while pages still brought new ids. */
int relevance_pager_next(relevance_pager *p, int *capped);

#endif
